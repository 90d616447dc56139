package io.github.recurra.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import org.junit.jupiter.api.Test;

class SpecCodecTest {

    private static Network net(LastStep lastStep) {
        return Network.builder(3)
                .layer(Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.builder(LstmCell.of(5)).direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.AVERAGE)
                        .lastStep(lastStep).build())
                .head(Head.classifier(2)).build();
    }

    @Test
    void lastTimeIndexIsWrittenAndReadBack() {
        Network n = net(LastStep.LAST_TIME_INDEX);
        String text = SpecCodec.write(n);
        assertTrue(text.contains("layer1.lastStep=LAST_TIME_INDEX\n"), text);
        assertFalse(text.contains("layer0.lastStep"), "only the layer that differs from the default: " + text);
        Network back = SpecCodec.read(text, "test");
        assertEquals(n, back);
        assertEquals(LastStep.LAST_TIME_INDEX, back.layers().get(1).lastStep());
    }

    @Test
    void theDefaultIsNotWrittenAndAnAbsentKeyReadsAsTheDefault() {
        Network n = net(LastStep.FINAL_STATES);
        String text = SpecCodec.write(n);
        assertFalse(text.contains("lastStep"), "a spec with the default reads like the files written before: " + text);
        Network back = SpecCodec.read(text, "test");
        assertEquals(n, back);
        assertEquals(LastStep.FINAL_STATES, back.layers().get(1).lastStep());
        assertEquals(back, SpecCodec.read(SpecCodec.write(net(LastStep.LAST_TIME_INDEX))
                .replace("layer1.lastStep=LAST_TIME_INDEX\n", ""), "an older file"));
    }

    @Test
    void unknownOrMisplacedValuesAreRejected() {
        String text = SpecCodec.write(net(LastStep.LAST_TIME_INDEX));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SpecCodec.read(text.replace("=LAST_TIME_INDEX", "=LAST"), "model.recurra"));
        assertTrue(unknown.getMessage().contains("model.recurra") && unknown.getMessage().contains("'layer1.lastStep'")
                && unknown.getMessage().contains("'LAST'") && unknown.getMessage().contains("LAST_TIME_INDEX"),
                unknown.getMessage());
        IllegalArgumentException everyStep = assertThrows(IllegalArgumentException.class,
                () -> SpecCodec.read(text + "layer0.lastStep=LAST_TIME_INDEX\n", "model.recurra"));
        assertTrue(everyStep.getMessage().contains("returnSequences(true)"), everyStep.getMessage());
    }
}
