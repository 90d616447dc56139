package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Tolerances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code recurra export --format savedmodel}: the directory it writes (loaded with TensorFlow's own
 * {@code SavedModelBundle}, which tests may use), what it prints about it, and its errors.
 */
class ExportSavedModelCommandTest {
    private static final int T = 5;

    @TempDir
    Path dir;

    private Path save(Network network, long seed) {
        Path f = dir.resolve("m.recurra");
        ModelFile.of(network, TestModels.parameters(network, seed)).save(f);
        return f;
    }

    /** The signature's inputs or outputs as the command prints them, read from the loaded SavedModel. */
    private static TreeSet<String> describe(Map<String, Signature.TensorDescription> values) {
        TreeSet<String> s = new TreeSet<>();
        values.forEach((name, d) -> {
            List<String> dims = new ArrayList<>();
            for (long x : d.shape.asArray()) {
                dims.add(x < 0 ? "batch" : String.valueOf(x));
            }
            String type = d.dataType == DataType.DT_FLOAT ? "float32" : d.dataType == DataType.DT_INT32 ? "int32"
                    : d.dataType.toString();
            s.add(name + " " + type + " [" + String.join(", ", dims) + "]");
        });
        return s;
    }

    /** The comma-separated values of one printed line ({@code "  inputs:  "} or {@code "  outputs: "}). */
    private static TreeSet<String> printed(String out, String prefix) {
        String line = out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() ->
                new AssertionError("no line " + prefix + " in\n" + out));
        // split at the commas between values, not those inside [a, b]
        return Stream.of(line.substring(prefix.length()).split(", (?=\\w+ (float32|int32) )"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void printsTheSignatureTheDirectoryDeclares() {
        List<List<String>> flags = List.of(List.of(), List.of("--lengths"), List.of("--states"),
                List.of("--lengths", "--states"));
        for (Map.Entry<String, Network> e : TestModels.all().entrySet()) {
            Path model = save(e.getValue(), 1);
            for (List<String> f : flags) {
                Path out = dir.resolve(e.getKey() + String.join("", f));
                String[] args = Stream.concat(Stream.of("export", "--model", model.toString(), "--format",
                        "savedmodel", "--time-steps", String.valueOf(T), "--output", out.toString()), f.stream())
                        .toArray(String[]::new);
                CliRun r = CliRun.of(args);
                String what = e.getKey() + " " + f + "\n" + r;
                assertEquals(0, r.code(), what);
                assertTrue(r.out().startsWith("Wrote TensorFlow SavedModel " + out + " (5 time steps, signature "
                        + "serving_default, tags serve) from Recurra model file " + model), what);
                try (SavedModelBundle b = SavedModelBundle.load(out.toString(), "serve")) {
                    Signature s = b.function("serving_default").signature();
                    assertEquals(describe(s.getInputs()), printed(r.out(), "  inputs:  "), what);
                    assertEquals(describe(s.getOutputs()), printed(r.out(), "  outputs: "), what);
                }
                assertEquals(f.contains("--lengths"), r.out().contains("lengths int32 [batch]"), what);
                assertEquals(f.contains("--states"), r.out().contains("h_0_0 float32 ["), what);
                assertTrue(r.out().contains("h_n_0 float32 ["), what);
            }
        }
    }

    @Test
    void theDirectoryServesWhatTheCpuBackendComputes() {
        Network network = TestModels.all().get("stacked_bidirectional_classifier");
        Path model = save(network, 2);
        Parameters p = ModelFile.load(model).parameters();
        Path out = dir.resolve("served");
        CliRun r = CliRun.of("export", "--model", model.toString(), "--format", "savedmodel", "--time-steps",
                String.valueOf(T), "--lengths", "--output", out.toString());
        assertEquals(0, r.code(), r.toString());
        Tensor x = TestModels.inputs(3, T, 3);
        int[] lengths = {5, 2, 4};
        Forward f;
        try (Backend cpu = Backends.named("cpu"); Model m = cpu.compile(network, p)) {
            f = m.forward(new Batch(x, null, null, lengths), null);
        }
        try (SavedModelBundle b = SavedModelBundle.load(out.toString(), "serve");
                TFloat32 xs = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(3, T, TestModels.FEATURES),
                        DataBuffers.of(x.data(), true, false));
                TInt32 ls = TInt32.vectorOf(lengths);
                Result res = b.function("serving_default").call(Map.of("inputs", xs, "lengths", ls))) {
            TFloat32 got = (TFloat32) res.get("predictions").orElseThrow();
            float[] values = new float[(int) got.shape().size()];
            got.copyTo(DataBuffers.of(values, false, false));
            Tolerances.standard().crossBackend().assertClose(f.predictions().data(), values, "predictions");
        }
    }

    @Test
    void badOptionsAndTargetsAreRejectedWithoutWriting() throws IOException {
        Path model = save(TestModels.all().get("per_step_regressor"), 3);
        Path out = dir.resolve("tf");
        CliRun noSteps = CliRun.of("export", "--model", model.toString(), "--format", "savedmodel", "--output",
                out.toString());
        assertEquals(2, noSteps.code(), noSteps.toString());
        assertTrue(noSteps.err().contains("--format savedmodel needs --time-steps T"), noSteps.err());
        CliRun zero = CliRun.of("export", "--model", model.toString(), "--format", "savedmodel", "--time-steps", "0",
                "--output", out.toString());
        assertEquals(2, zero.code(), zero.toString());
        assertTrue(zero.err().contains("time steps must be between 1 and 1024 but was 0"), zero.err());
        CliRun opset = CliRun.of("export", "--model", model.toString(), "--format", "savedmodel", "--time-steps",
                "4", "--opset", "11", "--output", out.toString());
        assertEquals(2, opset.code(), opset.toString());
        assertTrue(opset.err().contains("--opset applies to --format onnx only"), opset.err());
        CliRun stepsForOnnx = CliRun.of("export", "--model", model.toString(), "--time-steps", "4", "--output",
                dir.resolve("x.onnx").toString());
        assertEquals(2, stepsForOnnx.code(), stepsForOnnx.toString());
        assertTrue(stepsForOnnx.err().contains("--time-steps applies to --format savedmodel only"),
                stepsForOnnx.err());
        CliRun format = CliRun.of("export", "--model", model.toString(), "--format", "pb", "--output",
                out.toString());
        assertEquals(2, format.code(), format.toString());
        assertTrue(format.err().contains("onnx, savedmodel"), format.err());
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        CliRun notEmpty = CliRun.of("export", "--model", model.toString(), "--format", "savedmodel", "--time-steps",
                "4", "--output", full.toString());
        assertEquals(2, notEmpty.code(), notEmpty.toString());
        assertTrue(notEmpty.err().contains("SavedModel directory " + full + " exists and is not empty; it is not "
                + "overwritten"), notEmpty.err());
        // the target is checked before the model is read
        CliRun both = CliRun.of("export", "--model", dir.resolve("absent.recurra").toString(), "--format",
                "savedmodel", "--time-steps", "4", "--output", dir.resolve("absent/tf").toString());
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("parent directory " + dir.resolve("absent") + " does not exist"), both.err());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("full", "m.recurra"), left.map(x -> x.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of(full.resolve("keep.txt")), Files.list(full).toList());
    }
}
