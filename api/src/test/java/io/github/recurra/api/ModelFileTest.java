package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    static final Network NET = Network.builder(5)
            .layer(Sequence.builder(LstmCell.builder(6).peepholes(true).clip(3f).coupledInputForget(true)
                    .activations(Activation.hardSigmoid(0.3f, 0.4f), Activation.tanh(), Activation.elu(0.5f)).build())
                    .direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.SUM).returnSequences(true).build())
            .layer(Sequence.builder(GruCell.builder(4).linearBeforeReset(true).build()).direction(Direction.REVERSE)
                    .returnSequences(true).build())
            .layer(Sequence.builder(RnnCell.builder(3).activation(Activation.leakyRelu(0.2f)).build())
                    .returnSequences(true).build())
            .dropout(0.1)
            .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR))
            .build();

    @Test
    void roundTripIsExact() {
        Parameters p = Initialization.defaults().initialize(NET, 9);
        Parameters extra = Parameters.empty().put("m/x", Tensor.of(new float[] {1.5f, Float.MIN_VALUE}, 2));
        Path f = dir.resolve("model.recurra");
        ModelFile.of(NET, p).withTensors("optimizer", extra).withText("trainer", Map.of("step", "12")).save(f);
        ModelFile back = ModelFile.load(f);
        assertEquals(NET, back.network());
        for (String name : p.names()) {
            assertArrayEquals(p.get(name).data(), back.parameters().get(name).data(), 0f, name);
        }
        assertArrayEquals(extra.get("m/x").data(), back.tensors("optimizer").get("m/x").data(), 0f);
        assertEquals("12", back.text("trainer").get("step"));
    }

    @Test
    void theLastStepChoiceSurvivesTheRoundTrip() {
        Network net = Network.builder(3)
                .layer(Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.SUM)
                        .lastStep(LastStep.LAST_TIME_INDEX).build())
                .head(Head.classifier(2)).build();
        Path f = dir.resolve("last.recurra");
        ModelFile.of(net, Initialization.defaults().initialize(net, 3)).save(f);
        Network back = ModelFile.load(f).network();
        assertEquals(net, back);
        assertEquals(LastStep.LAST_TIME_INDEX, back.layers().get(0).lastStep());
    }

    @Test
    void writesLeaveNoTemporaryFilesAndReplaceAtomically() throws IOException {
        Path f = dir.resolve("model.recurra");
        Parameters p = Initialization.defaults().initialize(NET, 1);
        ModelFile.of(NET, p).save(f);
        ModelFile.of(NET, Initialization.defaults().initialize(NET, 2)).save(f);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the model file remains");
        }
        assertTrue(Arrays.equals(Initialization.defaults().initialize(NET, 2).get("head.W").data(),
                ModelFile.load(f).parameters().get("head.W").data()));
    }

    @Test
    void damagedFilesAreRejectedWithTheReason() throws IOException {
        Path f = dir.resolve("model.recurra");
        ModelFile.of(NET, Initialization.defaults().initialize(NET, 1)).save(f);
        byte[] good = Files.readAllBytes(f);

        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(good, good.length - 100));
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(cut));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Path bad = dir.resolve("bad");
        Files.write(bad, flipped);
        IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(bad));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());

        Path other = dir.resolve("other");
        Files.writeString(other, "not a model");
        IllegalArgumentException magic = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(other));
        assertTrue(magic.getMessage().contains("not a Recurra model file"), magic.getMessage());

        Path noEnd = dir.resolve("noend");
        Files.write(noEnd, Arrays.copyOf(good, good.length - 3));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.load(noEnd));
    }

    @Test
    void newFilesAreReadableByOthersAndKeepExistingPermissions() throws IOException {
        Path f = dir.resolve("perm.recurra");
        ModelFile.of(NET, Initialization.defaults().initialize(NET, 1)).save(f);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        ModelFile.of(NET, Initialization.defaults().initialize(NET, 2)).save(f);
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
    }

    @Test
    void textSectionsRejectWhatWouldNotReadBack() {
        ModelFile m = ModelFile.of(NET, Initialization.defaults().initialize(NET, 1));
        assertThrows(IllegalArgumentException.class, () -> m.withText("t", Map.of("a=b", "c")));
        assertThrows(IllegalArgumentException.class, () -> m.withText("t", Map.of("a", "line1\nline2")));
        assertThrows(IllegalArgumentException.class, () -> m.withTensors("spec", Parameters.empty()));
    }

    @Test
    void parametersThatDoNotFitTheSpecAreRejected() {
        Parameters p = Initialization.defaults().initialize(NET, 1);
        p.put("head.B", Tensor.zeros(3));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.of(NET, p));
    }
}
