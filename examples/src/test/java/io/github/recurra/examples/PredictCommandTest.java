package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code recurra export} then {@code recurra predict} on both kinds of model file, against {@link Model#forward} in
 * Java; batching; and every kind of bad input.
 */
class PredictCommandTest {
    private static final int N = 37;
    private static final int T = 6;

    @TempDir
    Path dir;

    static Stream<Arguments> networks() {
        return TestModels.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** Saves the network as .recurra, exports it with the CLI as .onnx, writes the input; returns the .recurra. */
    private Path prepare(Network network, Parameters p, Tensor x) {
        Path recurra = dir.resolve("m.recurra");
        ModelFile.of(network, p).save(recurra);
        CliRun export = CliRun.of("export", "--model", recurra.toString(), "--output", dir.resolve("m.onnx")
                .toString());
        assertEquals(0, export.code(), export.toString());
        NpyFile.write(dir.resolve("in.npy"), x.data(), x.shape());
        return recurra;
    }

    private NpyArray predict(String model, String out, String... more) {
        String[] args = Stream.concat(Stream.of("predict", "--model", dir.resolve(model).toString(), "--input",
                dir.resolve("in.npy").toString(), "--output", dir.resolve(out).toString()), Stream.of(more))
                .toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Wrote " + dir.resolve(out) + ": "), r.out());
        return NpyFile.read(dir.resolve(out), Integer.MAX_VALUE);
    }

    /** What predict should write: the whole input as one batch through Model.forward on the CPU backend. */
    private static Tensor expected(Network network, Parameters p, Tensor x) {
        try (Backend cpu = Backends.named("cpu"); Model m = cpu.compile(network, p)) {
            Forward f = m.forward(x);
            return network.head().isPresent() ? f.logits() : f.output();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void bothFileKindsGiveWhatModelForwardGives(String name, Network network) {
        Parameters p = TestModels.parameters(network, 11);
        Tensor x = TestModels.inputs(N, T, 12);
        prepare(network, p, x);
        Tensor want = expected(network, p, x);
        NpyArray fromRecurra = predict("m.recurra", "r.npy");
        NpyArray fromOnnx = predict("m.onnx", "o.npy");
        assertArrayEquals(want.shape(), fromRecurra.getShape(), name);
        assertArrayEquals(want.shape(), fromOnnx.getShape(), name);
        // one batch of 37 on the same backend with the same parameters (import is exact): the same bits
        assertArrayEquals(want.data(), fromRecurra.asFloatArray(), name + " from the model file");
        assertArrayEquals(want.data(), fromOnnx.asFloatArray(), name + " from the ONNX file");
        assertTrue(Math.abs(want.data()[0]) > 1e-4, "a non-trivial result: " + want.data()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void batchesGiveWhatOneBatchGives(String name, Network network) {
        Parameters p = TestModels.parameters(network, 21);
        Tensor x = TestModels.inputs(N, T, 22);
        prepare(network, p, x);
        float[] one = predict("m.recurra", "one.npy", "--batch", "1000").asFloatArray();
        for (String b : new String[] {"1", "5", "36"}) {
            NpyArray batched = predict("m.onnx", "b" + b + ".npy", "--batch", b);
            float[] got = batched.asFloatArray();
            assertEquals(one.length, got.length);
            for (int i = 0; i < one.length; i++) {
                // the CPU backend's sums do not depend on the batch size today; allow rounding should that change
                assertEquals(one[i], got[i], 1e-6, name + " --batch " + b + " at " + i);
            }
        }
        assertTrue(CliRun.of("predict", "--model", dir.resolve("m.recurra").toString(), "--input",
                dir.resolve("in.npy").toString(), "--output", dir.resolve("x.npy").toString(), "--batch", "5")
                .out().contains("8 batches of up to 5"));
    }

    @Test
    void theBatchedLoopMatchesForwardDirectly() {
        Network network = TestModels.all().get("per_step_regressor");
        Parameters p = TestModels.parameters(network, 31);
        Tensor x = TestModels.inputs(N, T, 32);
        try (Backend cpu = Backends.named("cpu"); Model m = cpu.compile(network, p)) {
            Tensor whole = m.forward(x).logits();
            Tensor batched = PredictCommand.predict(m, x, 4);
            assertArrayEquals(whole.shape(), batched.shape());
            assertArrayEquals(whole.data(), batched.data(), 1e-6f);
            // 37 = 9 × 4 + 1: the last batch holds one sequence, whose result must be the last rows
            int per = T * TestModels.FEATURES;
            Tensor lastInput = Tensor.of(Arrays.copyOfRange(x.data(), (N - 1) * per, N * per), 1, T,
                    TestModels.FEATURES);
            float[] last = m.forward(lastInput).logits().data();
            assertArrayEquals(last, Arrays.copyOfRange(batched.data(), batched.size() - last.length,
                    batched.size()), 1e-6f);
        }
    }

    @Test
    void onTheOnnxBackendTheOnnxFileGivesWhatModelForwardGivesOnCpu() {
        assertTrue(Backends.available().contains("onnx"), "no 'onnx' backend on the class path: "
                + Backends.available());
        for (Map.Entry<String, Network> e : TestModels.all().entrySet()) {
            Parameters p = TestModels.parameters(e.getValue(), 41);
            Tensor x = TestModels.inputs(N, T, 42);
            prepare(e.getValue(), p, x);
            Tensor want = expected(e.getValue(), p, x);
            float[] got = predict("m.onnx", "onnx.npy", "--backend", "onnx", "--batch", "16").asFloatArray();
            assertArrayEquals(want.data(), got, 1e-5f, e.getKey());
        }
    }

    private CliRun predictRejects(Path input, String... more) throws IOException {
        Path out = dir.resolve("out.npy");
        Files.writeString(out, "previous", StandardCharsets.UTF_8);
        String[] args = Stream.concat(Stream.of("predict", "--model", dir.resolve("m.recurra").toString(), "--input",
                input.toString(), "--output", out.toString()), Stream.of(more)).toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.toString());
        assertEquals("previous", Files.readString(out, StandardCharsets.UTF_8), "the output is left alone");
        return r;
    }

    @Test
    void badInputIsRejectedWithWhatToDo() throws IOException {
        Network network = TestModels.all().get("stacked_bidirectional_classifier");
        prepare(network, TestModels.parameters(network, 51), TestModels.inputs(3, 2, 52));
        Path f64 = dir.resolve("f64.npy");
        NpyFile.write(f64, new double[3 * 2 * 4], new int[] {3, 2, 4});
        assertTrue(predictRejects(f64).err().contains("holds float64 values of shape [3, 2, 4] but float32 is "
                + "needed"));
        Path rank2 = dir.resolve("rank2.npy");
        NpyFile.write(rank2, new float[8], new int[] {2, 4});
        assertTrue(predictRejects(rank2).err().contains("has shape [2, 4] (rank 2) but [batch, time, 4] is needed"));
        Path five = dir.resolve("five.npy");
        NpyFile.write(five, new float[3 * 2 * 5], new int[] {3, 2, 5});
        assertTrue(predictRejects(five).err().contains("has 5 features per step (shape [3, 2, 5]) but the model "
                + "expects 4"));
        float[] x = new float[3 * 2 * 4];
        x[13] = Float.POSITIVE_INFINITY;
        Path inf = dir.resolve("inf.npy");
        NpyFile.write(inf, x, new int[] {3, 2, 4});
        assertTrue(predictRejects(inf).err().contains("holds Infinity at [1, 1, 1]"));
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "1,2,3", StandardCharsets.UTF_8);
        assertTrue(predictRejects(text).err().contains("is not a NumPy .npy file"));
        assertTrue(predictRejects(dir.resolve("absent.npy")).err().contains("absent.npy does not exist"));
        assertTrue(predictRejects(dir.resolve("in.npy"), "--batch", "0").err()
                .contains("--batch must be at least 1 but was 0"));
        assertTrue(predictRejects(dir.resolve("in.npy"), "--backend", "nope").err()
                .contains("--backend nope: no backend is named 'nope'; available on the classpath: cpu, onnx, tensorflow"));
    }

    @Test
    void badModelsAndOutputsAreRejectedBeforeAnyWork() throws IOException {
        NpyFile.write(dir.resolve("in.npy"), new float[8], new int[] {1, 2, 4});
        CliRun noDir = CliRun.of("predict", "--model", dir.resolve("absent.recurra").toString(), "--input",
                dir.resolve("in.npy").toString(), "--output", dir.resolve("no/such/out.npy").toString());
        assertEquals(2, noDir.code(), noDir.toString());
        assertTrue(noDir.err().contains("--output " + dir.resolve("no/such/out.npy") + ": directory "), noDir.err());
        CliRun noModel = CliRun.of("predict", "--model", dir.resolve("absent.recurra").toString(), "--input",
                dir.resolve("in.npy").toString(), "--output", dir.resolve("out.npy").toString());
        assertTrue(noModel.err().contains("model " + dir.resolve("absent.recurra") + " does not exist"),
                noModel.toString());
        Path notAModel = dir.resolve("weights.bin");
        Files.writeString(notAModel, "neither format", StandardCharsets.UTF_8);
        CliRun neither = CliRun.of("predict", "--model", notAModel.toString(), "--input",
                dir.resolve("in.npy").toString(), "--output", dir.resolve("out.npy").toString());
        assertEquals(2, neither.code(), neither.toString());
        assertTrue(neither.err().contains("is neither a Recurra model file (which starts with RECURRA1) nor an ONNX "
                + "model"), neither.err());
        assertTrue(Files.notExists(dir.resolve("out.npy")));
    }
}
