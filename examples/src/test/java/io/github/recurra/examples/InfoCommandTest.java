package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recurra info} on model files, ONNX files and checkpoints, and its one-line errors on what is no model. */
class InfoCommandTest {
    @TempDir
    Path dir;

    /** Input 28, bidirectional LSTM 128 (every step), GRU 64, reverse RNN 32, a classifier of 10 classes. */
    static Network stack() {
        return Network.builder(28)
                .layer(Sequence.builder(LstmCell.of(128)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.builder(GruCell.builder(64).linearBeforeReset(true).build()).returnSequences(true)
                        .build())
                .layer(Sequence.builder(RnnCell.of(32)).direction(Direction.REVERSE).build())
                .head(Head.classifier(10)).build();
    }

    @Test
    void summarisesLayersShapesAndCountsAsPyTorchDoes() {
        Path file = dir.resolve("stack.recurra");
        ModelFile.of(stack(), Initialization.defaults().initialize(stack(), 1)).save(file);
        CliRun run = CliRun.of("info", file.toString());
        assertEquals(0, run.code(), run.toString());
        String out = run.out();
        // by hand: per direction 4·128·(28 + 128) weights + 2·4·128 biases, twice; GRU 3·64·(256 + 64) + 2·3·64;
        // RNN 32·(64 + 32) + 2·32; head 10·(32 + 1). PyTorch, sum(p.numel()) of nn.LSTM(28, 128,
        // bidirectional=True), nn.GRU(256, 64), nn.RNN(64, 32), nn.Linear(32, 10), printed 161792, 61824, 3136, 330
        assertEquals(2 * (4 * 128 * (28 + 128) + 2 * 4 * 128), 161_792);
        assertEquals(3 * 64 * (256 + 64) + 2 * 3 * 64, 61_824);
        assertTrue(out.contains("Total parameters: 227,082"), out);
        assertTrue(out.matches("(?s).*\\n1 +recurrent +lstm \\(forget bias 1\\.0\\) +bidirectional +128 +\\[batch, "
                + "time, 256] +161,792\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n2 +recurrent +gru \\(reset after product\\) +forward +64 +\\[batch, time, "
                + "64] +61,824\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n3 +recurrent +rnn \\(Tanh\\) +reverse, last step +32 +\\[batch, 32] "
                + "+3,136\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n +head +dense, softmax cross-entropy +last step +\\[batch, 10] +330\\n.*"),
                out);
        assertTrue(out.contains("Format: Recurra model file, version 1"), out);
    }

    @Test
    void readsOnnxFilesWithTheirProducer() {
        Network net = TestModels.all().get("per_step_regressor");
        Path file = dir.resolve("reg.onnx");
        OnnxFormat.write(net, TestModels.parameters(net, 2), file, OnnxExportOptions.builder().build());
        CliRun run = CliRun.of("info", file.toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("[batch, time, 2]"), run.out());
        assertTrue(run.out().matches("(?s).*Format: ONNX, opset \\d+ .*"), run.out());
        assertTrue(run.out().contains("Producer: recurra " + OnnxFormat.version()), run.out());
        // GRU 6 on 4 features: 3·6·(4 + 6) + 2·3·6 = 216; head 2·(6 + 1) = 14
        assertTrue(run.out().contains("Total parameters: 230"), run.out());
    }

    @Test
    void showsACheckpointsTrainingState() {
        Network net = Network.builder(2).layer(Sequence.of(GruCell.of(3))).head(Head.classifier(2)).build();
        Path ckpt = dir.resolve("run.ckpt");
        try (Backend be = Backends.named("cpu");
                Model m = be.compile(net, Initialization.defaults().initialize(net, 1))) {
            Trainer.builder().optimizer(Optimizer.sgd(0.1)).batchSize(8).examples(24).checkpointEvery(2, ckpt)
                    .build().fit(m, xorLike());
        }
        CliRun run = CliRun.of("info", ckpt.toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("Checkpoint: step 3, epoch 1"), run.out());
        assertTrue(run.out().contains("batch 8, seed 0"), run.out());
        assertTrue(run.out().contains("Optimizer: sgd"), run.out());
    }

    /** 32 sequences of 5 steps of 2 features, the class the sign of the first feature's sum. */
    private static io.github.recurra.api.data.Dataset xorLike() {
        Random r = new Random(4);
        float[] x = new float[32 * 5 * 2];
        int[] y = new int[32];
        for (int i = 0; i < 32; i++) {
            double s = 0;
            for (int k = 0; k < 10; k++) {
                x[i * 10 + k] = (float) r.nextGaussian();
                s += k % 2 == 0 ? x[i * 10 + k] : 0;
            }
            y[i] = s > 0 ? 1 : 0;
        }
        return io.github.recurra.api.data.Dataset.of(x, y, 5, 2, 2);
    }

    @Test
    void whatIsNoModelGetsOneLineAndExitStatus2() throws IOException {
        Path good = dir.resolve("good.recurra");
        Network net = TestModels.all().get("no_head_last_step");
        ModelFile.of(net, TestModels.parameters(net, 3)).save(good);
        byte[] bytes = Files.readAllBytes(good);
        byte[] random = new byte[300];
        new Random(5).nextBytes(random);
        Path onnx = dir.resolve("good.onnx");
        OnnxFormat.write(net, TestModels.parameters(net, 3), onnx, OnnxExportOptions.builder().build());
        byte[] onnxBytes = Files.readAllBytes(onnx);
        Path[] bad = {
            Files.write(dir.resolve("empty.recurra"), new byte[0]),
            Files.write(dir.resolve("random.bin"), random),
            Files.write(dir.resolve("random.onnx"), random),
            Files.write(dir.resolve("truncated.recurra"), Arrays.copyOf(bytes, bytes.length / 2)),
            Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(onnxBytes, onnxBytes.length / 2)),
            Files.createDirectory(dir.resolve("folder.recurra")),
            dir.resolve("missing.recurra")};
        for (Path p : bad) {
            CliRun run = CliRun.of("info", p.toString());
            assertEquals(2, run.code(), p + ": " + run);
            assertEquals("", run.out(), p + ": nothing but the error");
            assertTrue(run.err().startsWith("error: ") && run.err().strip().lines().count() == 1,
                    p + ": one line: " + run.err());
            assertTrue(run.err().contains(p.toString()), p + ": names the file: " + run.err());
        }
    }
}
