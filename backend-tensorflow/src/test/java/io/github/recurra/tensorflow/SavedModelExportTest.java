package io.github.recurra.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Tolerance;
import io.github.recurra.conformance.Tolerances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.TensorFunction;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Export, load with TensorFlow's own {@code SavedModelBundle.load} (a graph and session of its own), serve, and
 * compare with the reference CPU backend's {@code forward} at the kit's cross-backend tolerance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SavedModelExportTest {
    private static final int F = 3;
    private static final int T = 6;
    private static final Tolerance TOL = Tolerances.standard().crossBackend();

    private final Backend cpu = Backends.named("cpu");

    @TempDir
    Path dir;

    @AfterAll
    void close() {
        cpu.close();
    }

    static Map<String, Network> networks() {
        Map<String, Network> n = new LinkedHashMap<>();
        n.put("lstm_classifier", Network.builder(F).layer(Sequence.of(LstmCell.builder(5).peepholes(true).build()))
                .head(Head.classifier(4)).build());
        n.put("gru_reset_before", Network.builder(F).layer(Sequence.of(GruCell.of(4))).head(Head.classifier(3))
                .build());
        n.put("gru_reset_after", Network.builder(F)
                .layer(Sequence.of(GruCell.builder(4).linearBeforeReset(true).build())).head(Head.classifier(3))
                .build());
        n.put("rnn_no_head", Network.builder(F).layer(Sequence.builder(RnnCell.of(5)).returnSequences(true).build())
                .build());
        n.put("bidirectional_concat", Network.builder(F).layer(Sequence.builder(LstmCell.of(4))
                .direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.CONCAT).build()).head(Head.classifier(3))
                .build());
        n.put("bidirectional_last_index", Network.builder(F).layer(Sequence.builder(GruCell.of(3))
                .direction(Direction.BIDIRECTIONAL).lastStep(LastStep.LAST_TIME_INDEX).build())
                .head(Head.classifier(2)).build());
        n.put("stacked_two_layers", Network.builder(F)
                .layer(Sequence.builder(LstmCell.of(5)).direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.SUM)
                        .returnSequences(true).build())
                .layer(Sequence.of(GruCell.of(4))).dropout(0.3).head(Head.classifier(3)).build());
        n.put("per_step_classifier", Network.builder(F).layer(Sequence.builder(GruCell.of(4)).returnSequences(true)
                .build()).head(Head.of(3, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build());
        n.put("per_step_regressor", Network.builder(F).layer(Sequence.builder(LstmCell.of(4)).returnSequences(true)
                .build()).head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build());
        n.put("last_step_regressor", Network.builder(F).layer(Sequence.builder(RnnCell.of(4))
                .direction(Direction.REVERSE).build()).head(Head.of(2, Head.Target.LAST_STEP,
                Head.Loss.MEAN_SQUARED_ERROR)).build());
        return n;
    }

    /** Initialised parameters with every tensor (biases too) moved off its initial values. */
    static Parameters parameters(Network network, long seed) {
        Parameters p = Initialization.defaults().initialize(network, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (String name : p.names()) {
            float[] d = p.get(name).data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.3 * r.nextGaussian());
            }
        }
        return p;
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** Loads the directory in a fresh bundle and serves one call; returns every output's values and shape. */
    static Map<String, Tensor> serve(Path model, String key, String tag, Map<String, Object> feeds) {
        Map<String, Tensor> out = new HashMap<>();
        List<org.tensorflow.Tensor> tensors = new ArrayList<>();
        try (SavedModelBundle b = SavedModelBundle.load(model.toString(), tag)) {
            Map<String, org.tensorflow.Tensor> in = new HashMap<>();
            for (Map.Entry<String, Object> e : feeds.entrySet()) {
                org.tensorflow.Tensor t = e.getValue() instanceof int[] ints
                        ? TInt32.vectorOf(ints) : Feeds.tensor((Tensor) e.getValue());
                tensors.add(t);
                in.put(e.getKey(), t);
            }
            TensorFunction f = b.function(key);
            try (Result r = f.call(in)) {
                for (String name : f.signature().outputNames()) {
                    org.tensorflow.Tensor t = r.get(name).orElseThrow();
                    long[] s = t.shape().asArray();
                    int[] shape = new int[s.length];
                    for (int i = 0; i < s.length; i++) {
                        shape[i] = (int) s[i];
                    }
                    out.put(name, Feeds.read(t, shape));
                }
            }
        } finally {
            tensors.forEach(org.tensorflow.Tensor::close);
        }
        return out;
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertTrue(actual != null, what + " is missing");
        assertTrue(expected.sameShape(actual), what + " has shape " + actual.shapeString() + " but "
                + expected.shapeString() + " was expected");
        TOL.assertClose(expected.data(), actual.data(), what);
    }

    /** Every output of the served signature against the CPU backend's forward of the same batch. */
    private static void assertSameAsForward(Network network, Forward f, Map<String, Tensor> served, String what) {
        assertClose(f.output(), served.get("output"), what + " output");
        for (int k = 0; k < network.layers().size(); k++) {
            assertClose(f.finalStates().hidden().get(k), served.get("h_n_" + k), what + " h_n_" + k);
            if (f.finalStates().cell().get(k) != null) {
                assertClose(f.finalStates().cell().get(k), served.get("c_n_" + k), what + " c_n_" + k);
            }
        }
        if (network.head().isPresent()) {
            assertClose(f.logits(), served.get("logits"), what + " logits");
            assertClose(f.predictions(), served.get("predictions"), what + " predictions");
        } else {
            assertFalse(served.containsKey("logits") || served.containsKey("predictions"), what);
        }
    }

    @Test
    void servesWhatTheCpuBackendComputesWithAndWithoutLengths() {
        int b = 5;
        int[] lengths = {6, 1, 3, 5, 2};
        int n = 0;
        for (Map.Entry<String, Network> e : networks().entrySet()) {
            Network network = e.getValue();
            Parameters p = parameters(network, 10 + n);
            Tensor x = Tensor.wrap(gaussian(b * T * F, 20 + n), b, T, F);
            n++;
            try (Model ref = cpu.compile(network, p)) {
                for (boolean withLengths : new boolean[] {false, true}) {
                    Path out = dir.resolve(e.getKey() + (withLengths ? "_lengths" : ""));
                    SavedModelExportOptions o = SavedModelExportOptions.builder(T).lengths(withLengths).build();
                    SavedModelSignature sig = SavedModelExport.export(network, p, out, o);
                    assertEquals(SavedModelSignature.of(network, o), sig);
                    Map<String, Object> feeds = new HashMap<>();
                    feeds.put("inputs", x);
                    if (withLengths) {
                        feeds.put("lengths", lengths);
                    }
                    Map<String, Tensor> served = serve(out, "serving_default", "serve", feeds);
                    Batch batch = new Batch(x, null, null, withLengths ? lengths : null);
                    Forward f = ref.forward(batch, null);
                    assertSameAsForward(network, f, served, e.getKey() + (withLengths ? " with lengths" : ""));
                    Set<String> names = new HashSet<>();
                    sig.outputs().forEach(v -> names.add(v.name()));
                    assertEquals(names, served.keySet(), e.getKey());
                }
            }
        }
    }

    @Test
    void aPaddedSequenceWithItsLengthServesWhatTheUnpaddedOneComputes() {
        for (String name : List.of("lstm_classifier", "bidirectional_concat", "bidirectional_last_index",
                "stacked_two_layers", "per_step_regressor")) {
            Network network = networks().get(name);
            Parameters p = parameters(network, 3);
            Path out = dir.resolve(name);
            SavedModelExport.export(network, p, out, SavedModelExportOptions.builder(T).lengths(true).build());
            int[] lengths = {2, 6, 4};
            float[] x = gaussian(lengths.length * T * F, 4);
            Map<String, Tensor> served = serve(out, "serving_default", "serve",
                    Map.of("inputs", Tensor.wrap(x, lengths.length, T, F), "lengths", lengths));
            try (Model ref = cpu.compile(network, p)) {
                for (int i = 0; i < lengths.length; i++) {
                    int len = lengths[i];
                    float[] alone = new float[len * F];
                    System.arraycopy(x, i * T * F, alone, 0, len * F);
                    Forward f = ref.forward(new Batch(Tensor.wrap(alone, 1, len, F), null), null);
                    String what = name + " example " + i + " of length " + len;
                    for (int k = 0; k < network.layers().size(); k++) {
                        assertClose(f.finalStates().hidden().get(k), row(served.get("h_n_" + k), 1, i, 0),
                                what + " h_n_" + k);
                    }
                    Head head = network.requireHead();
                    if (head.target() == Head.Target.LAST_STEP) {
                        assertClose(f.logits(), row(served.get("logits"), 0, i, 0), what + " logits");
                    } else {
                        assertClose(f.logits(), row(served.get("logits"), 0, i, len), what + " logits");
                        // past the length the head sees a zero output: its bias
                        float[] logits = served.get("logits").data();
                        float[] bias = p.get(Parameters.HEAD_B).data();
                        for (int t = len; t < T; t++) {
                            for (int c = 0; c < bias.length; c++) {
                                assertEquals(bias[c], logits[(i * T + t) * bias.length + c], 1e-6, what);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One example of a served tensor as a batch of one: along {@code axis} (0 for batch-major values, 1 for states),
     * the first {@code steps} steps of a per-step value ({@code steps} 0: the whole example).
     */
    private static Tensor row(Tensor t, int axis, int i, int steps) {
        int[] s = t.shape();
        float[] d = t.data();
        if (axis == 1) {
            int dirs = s[0];
            int h = s[2];
            float[] out = new float[dirs * h];
            for (int k = 0; k < dirs; k++) {
                System.arraycopy(d, (k * s[1] + i) * h, out, k * h, h);
            }
            return Tensor.wrap(out, dirs, 1, h);
        }
        if (steps == 0) {
            int per = t.size() / s[0];
            float[] out = new float[per];
            System.arraycopy(d, i * per, out, 0, per);
            int[] shape = s.clone();
            shape[0] = 1;
            return Tensor.wrap(out, shape);
        }
        int c = s[2];
        float[] out = new float[steps * c];
        System.arraycopy(d, i * s[1] * c, out, 0, steps * c);
        return Tensor.wrap(out, 1, steps, c);
    }

    @Test
    void initialStatesAreInputsThatDefaultToZeros() {
        Network network = networks().get("stacked_two_layers");
        Parameters p = parameters(network, 5);
        Path out = dir.resolve("states");
        SavedModelExportOptions o = SavedModelExportOptions.builder(T).lengths(true).initialStates(true).build();
        SavedModelExport.export(network, p, out, o);
        int b = 3;
        int[] lengths = {3, 6, 1};
        Tensor x = Tensor.wrap(gaussian(b * T * F, 6), b, T, F);
        List<Tensor> h = List.of(Tensor.wrap(gaussian(2 * b * 5, 7), 2, b, 5), Tensor.wrap(gaussian(b * 4, 8), 1, b,
                4));
        List<Tensor> c = new ArrayList<>();
        c.add(Tensor.wrap(gaussian(2 * b * 5, 9), 2, b, 5));
        c.add(null);
        try (Model ref = cpu.compile(network, p)) {
            Batch batch = new Batch(x, null, null, lengths);
            Map<String, Tensor> fed = serve(out, "serving_default", "serve", Map.of("inputs", x, "lengths", lengths,
                    "h_0_0", h.get(0), "c_0_0", c.get(0), "h_0_1", h.get(1)));
            assertSameAsForward(network, ref.forward(batch, new States(h, c)), fed, "fed states");
            // TensorFlow Java's SessionFunction wants every signature input; a client feeding tensors by name may
            // leave the states out, and they default to zeros
            Forward f = ref.forward(batch, null);
            try (SavedModelBundle bundle = SavedModelBundle.load(out.toString(), "serve");
                    TFloat32 xs = Feeds.tensor(x); TInt32 ls = TInt32.vectorOf(lengths);
                    Result r = bundle.session().runner().feed("inputs", xs).feed("lengths", ls).fetch("logits")
                            .fetch("h_n_0").run()) {
                assertClose(f.logits(), Feeds.read(r.get(0), 3, 3), "logits, states not fed");
                assertClose(f.finalStates().hidden().get(0), Feeds.read(r.get(1), 2, 3, 5), "h_n_0, states not fed");
            }
        }
        // a state for a batch of one would broadcast: refused
        TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class, () -> serve(out,
                "serving_default", "serve",
                Map.of("inputs", x, "lengths", lengths, "h_0_0", h.get(0), "c_0_0", c.get(0), "h_0_1",
                        Tensor.wrap(gaussian(4, 1), 1, 1, 4))));
        assertTrue(e.getMessage().contains("h_0_1 must have one state per sequence"), e.getMessage());
    }

    @Test
    void theSignatureDeclaresTheNamesTypesAndShapes() {
        for (Map.Entry<String, Network> e : networks().entrySet()) {
            for (SavedModelExportOptions o : List.of(SavedModelExportOptions.builder(T).build(),
                    SavedModelExportOptions.builder(4).lengths(true).initialStates(true).signatureKey("predict")
                            .tags("serve", "gpu").build())) {
                Path out = dir.resolve(e.getKey() + o.signatureKey());
                SavedModelSignature sig = SavedModelExport.export(e.getValue(), parameters(e.getValue(), 1), out, o);
                try (SavedModelBundle b = SavedModelBundle.load(out.toString(), o.tags().toArray(new String[0]))) {
                    Signature s = b.function(o.signatureKey()).signature();
                    assertEquals(describe(sig.inputs()), describe(s.getInputs()), e.getKey() + " inputs");
                    assertEquals(describe(sig.outputs()), describe(s.getOutputs()), e.getKey() + " outputs");
                    try (Result r = b.function("recurra_metadata").call(Map.of())) {
                        assertEquals(e.getValue(), ModelFile.parseSpec(text(r, "spec")));
                        assertEquals("recurra", text(r, "producer"));
                        assertEquals(String.valueOf(o.timeSteps()), text(r, "time_steps"));
                        assertEquals(SavedModelExport.version(), text(r, "version"));
                        assertFalse(text(r, "version").contains("$"), text(r, "version"));
                    }
                }
            }
        }
        Network lstm = networks().get("lstm_classifier");
        assertEquals("  inputs:  inputs float32 [batch, 6, 3], lengths int32 [batch]" + System.lineSeparator()
                + "  outputs: output float32 [batch, 5], h_n_0 float32 [1, batch, 5], c_n_0 float32 [1, batch, 5], "
                + "logits float32 [batch, 4], predictions float32 [batch, 4]",
                SavedModelSignature.of(lstm, SavedModelExportOptions.builder(T).lengths(true).build()).describe());
    }

    private static String text(Result r, String name) {
        return ((TString) r.get(name).orElseThrow()).getObject();
    }

    private static Set<String> describe(List<SavedModelSignature.Value> values) {
        Set<String> s = new HashSet<>();
        values.forEach(v -> s.add(v.toString()));
        return s;
    }

    private static Set<String> describe(Map<String, Signature.TensorDescription> values) {
        Set<String> s = new HashSet<>();
        values.forEach((name, d) -> {
            List<Integer> dims = new ArrayList<>();
            for (long x : d.shape.asArray()) {
                dims.add((int) x);
            }
            String type = d.dataType == DataType.DT_FLOAT ? "float32" : d.dataType == DataType.DT_INT32 ? "int32"
                    : d.dataType.toString();
            s.add(new SavedModelSignature.Value(name, type, dims).toString());
        });
        return s;
    }

    @Test
    void badServingInputsFailWithAMessage() {
        Network network = networks().get("gru_reset_after");
        Path out = dir.resolve("gru");
        SavedModelExport.export(network, parameters(network, 2), out,
                SavedModelExportOptions.builder(T).lengths(true).build());
        Tensor x = Tensor.wrap(gaussian(2 * T * F, 1), 2, T, F);
        TFInvalidArgumentException range = assertThrows(TFInvalidArgumentException.class, () -> serve(out, "serving_default",
                "serve", Map.of("inputs", x, "lengths", new int[] {7, 2})));
        assertTrue(range.getMessage().contains("every length must be between 1 and the 6 steps"), range.getMessage());
        TFInvalidArgumentException zero = assertThrows(TFInvalidArgumentException.class, () -> serve(out, "serving_default",
                "serve", Map.of("inputs", x, "lengths", new int[] {0, 2})));
        assertTrue(zero.getMessage().contains("every length must be between 1 and the 6 steps"), zero.getMessage());
        TFInvalidArgumentException count = assertThrows(TFInvalidArgumentException.class, () -> serve(out, "serving_default",
                "serve", Map.of("inputs", x, "lengths", new int[] {3})));
        assertTrue(count.getMessage().contains("one length per sequence"), count.getMessage());
        Tensor shorter = Tensor.wrap(gaussian(3 * 4 * F, 1), 3, 4, F);
        TFInvalidArgumentException steps = assertThrows(TFInvalidArgumentException.class, () -> serve(out, "serving_default",
                "serve", Map.of("inputs", shorter, "lengths", new int[] {3, 3, 3})));
        assertTrue(steps.getMessage().contains("[3,4,3]") && steps.getMessage().contains("[?,6,3]"),
                steps.getMessage());
    }

    @Test
    void badOptionsAndTargetsAreRefusedAndWriteNothing() throws IOException {
        assertMessage(() -> SavedModelExportOptions.builder(0).build(), "time steps must be between 1 and 1024 but "
                + "was 0");
        assertMessage(() -> SavedModelExportOptions.builder(1025).build(), "but was 1025");
        assertMessage(() -> SavedModelExportOptions.builder(T).tags().build(), "at least one tag");
        assertMessage(() -> SavedModelExportOptions.builder(T).tags("serve", "serve").build(), "name one tag twice");
        assertMessage(() -> SavedModelExportOptions.builder(T).signatureKey("").build(), "signature key ''");
        assertMessage(() -> SavedModelExportOptions.builder(T).signatureKey("recurra_metadata").build(),
                "the key of the metadata signature");
        Network network = networks().get("rnn_no_head");
        Parameters p = parameters(network, 1);
        SavedModelExportOptions o = SavedModelExportOptions.builder(T).build();
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        assertMessage(() -> SavedModelExport.export(network, p, full, o), "exists and is not empty; it is not "
                + "overwritten");
        assertEquals("mine", Files.readString(full.resolve("keep.txt")));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertMessage(() -> SavedModelExport.export(network, p, file, o), "exists and is not a directory");
        assertMessage(() -> SavedModelExport.export(network, p, dir.resolve("absent/model"), o),
                "parent directory " + dir.resolve("absent") + " does not exist");
        Parameters wrong = parameters(networks().get("gru_reset_after"), 1);
        assertMessage(() -> SavedModelExport.export(network, wrong, dir.resolve("wrong"), o), "parameter '");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(Set.of(full, file), Set.copyOf(left.toList()), "nothing else written");
        }
        // an empty directory is a valid target, and no temporary sibling stays behind
        Path empty = Files.createDirectories(dir.resolve("empty"));
        SavedModelExport.export(network, p, empty, o);
        assertTrue(Files.isRegularFile(empty.resolve("saved_model.pb")));
        assertTrue(Files.isDirectory(empty.resolve("variables")));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(Set.of(full, file, empty), Set.copyOf(left.toList()));
        }
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aModelOfTheTensorFlowBackendExportsItsCurrentParameters() {
        Network network = networks().get("lstm_classifier");
        Parameters p = parameters(network, 8);
        Tensor x = Tensor.wrap(gaussian(2 * T * F, 3), 2, T, F);
        try (Backend tfBackend = Backends.named("tensorflow"); Model m = tfBackend.compile(network, p)) {
            Path out = dir.resolve("from-model");
            SavedModelExport.export(m, out, SavedModelExportOptions.builder(T).build());
            Forward f = m.forward(new Batch(x, null), null);
            assertSameAsForward(network, f, serve(out, "serving_default", "serve", Map.of("inputs", x)),
                    "tensorflow model");
        }
    }
}
