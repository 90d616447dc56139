package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ModelFile#specText} and {@link ModelFile#parseSpec}: the spec section's text, public. */
class SpecTextTest {

    @Test
    void specTextIsTheSpecSectionAndReadsBackToAnEqualNetwork() throws IOException {
        Network net = ModelFileTest.NET;
        String text = ModelFile.specText(net);
        assertEquals(net, ModelFile.parseSpec(text));
        byte[] section = ModelFileBytesTest.sections(ModelFile.of(net, Initialization.defaults().initialize(net, 1))
                .toBytes()).get("spec");
        assertEquals(text, new String(section, StandardCharsets.UTF_8), "exactly what a model file holds");
        List<String> lines = Arrays.asList(text.split("\n"));
        List<String> sorted = new ArrayList<>(lines);
        sorted.sort(null);
        assertEquals(sorted, lines, "sorted key=value lines");
        assertTrue(lines.contains("input=5"), text);

        Network plain = Network.builder(3).layer(Sequence.of(GruCell.of(2))).build();
        assertEquals(plain, ModelFile.parseSpec(ModelFile.specText(plain)), "a network without a head");
    }

    @Test
    void badTextIsAnIllegalArgumentExceptionSayingWhatIsWrong() {
        String good = ModelFile.specText(Network.builder(4).layer(Sequence.of(LstmCell.of(3)))
                .head(Head.classifier(2)).build());
        String[][] cases = {
            {null, "spec text: null was given"},
            {"not a spec", "spec text: malformed spec line 'not a spec'"},
            {"=5\n" + good, "spec text: malformed spec line '=5'"},
            {"", "has no 'input'"},
            {good.replace("input=4\n", ""), "has no 'input'"},
            {good.replace("input=4", "input=four"), "spec text: the network spec is invalid"},
            {good.replace("layer0.cell=lstm", "layer0.cell=transformer"), "unknown cell 'transformer'"},
            {good.replace("layer0.direction=FORWARD", "layer0.direction=SIDEWAYS"), "SIDEWAYS"},
            {good.replace("layer0.hidden=3", "layer0.hidden=-3"), "spec text: the network spec is invalid"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.parseSpec(c[0]),
                    "text: " + c[0]);
            assertTrue(e.getMessage().startsWith("spec text") && e.getMessage().contains(c[1]),
                    "expected '" + c[1] + "' in: " + e.getMessage());
        }
    }

    @Test
    void damagedTextNeverFailsOtherwiseThanWithIllegalArgumentException() {
        String good = ModelFile.specText(ModelFileTest.NET);
        SplittableRandom r = new SplittableRandom(2024);
        String junk = "=\n:,.-0123456789eE+NaNInfinity_truefalseLSTMlstmgrurnnTANH";
        int parsed = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder(good);
            for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(3)) {
                    case 0:
                        s.deleteCharAt(at);
                        break;
                    case 1:
                        s.insert(at, junk.charAt(r.nextInt(junk.length())));
                        break;
                    default:
                        s.setCharAt(at, junk.charAt(r.nextInt(junk.length())));
                }
            }
            try {
                ModelFile.parseSpec(s.toString());
                parsed++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("spec text"), e.getMessage());
            } catch (RuntimeException e) {
                fail("edit " + i + " made parseSpec throw " + e + " instead of IllegalArgumentException for:\n" + s, e);
            }
        }
        assertTrue(parsed < 3000, "the edits damage the text");
    }
}
