package io.github.recurra.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Tolerance;
import io.github.recurra.conformance.Tolerances;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxNames;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unrolled graphs compute what the exported standard graph computes: the same outputs, final states, logits and
 * probabilities within the kit's cross-backend tolerance (the two differ only in the order of float32 sums), for
 * every network and call the backend unrolls; and everything else runs on the standard graph.
 */
class UnrolledGraphTest {
    private static final Tolerance SAME = Tolerances.standard().crossBackend();
    private static OnnxBackend unrolled;
    private static OnnxBackend standard;

    @BeforeAll
    static void open() {
        // two threads whatever the machine, so that large GRU batches are cut into shards
        unrolled = new OnnxBackend(OnnxBackendModule.Options.defaults().withIntraOpThreads(2));
        standard = new OnnxBackend(OnnxBackendModule.Options.defaults().withIntraOpThreads(2).withUnrolled(false));
    }

    @AfterAll
    static void close() {
        unrolled.close();
        standard.close();
    }

    static Map<String, Network> unrollable() {
        Head classifier = Head.classifier(3);
        return Map.ofEntries(
                Map.entry("rnn tanh", one(RnnCell.of(6), classifier)),
                Map.entry("rnn relu", one(RnnCell.builder(6).activation(Activation.relu()).build(), classifier)),
                Map.entry("rnn sigmoid", one(RnnCell.builder(6).activation(Activation.sigmoid()).build(), classifier)),
                Map.entry("gru", one(GruCell.of(5), classifier)),
                Map.entry("gru linear before reset", one(GruCell.builder(5).linearBeforeReset(true).build(),
                        classifier)),
                Map.entry("gru, regression head", one(GruCell.builder(4).linearBeforeReset(true).build(),
                        Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR))),
                Map.entry("gru tagger", Network.builder(3).layer(Sequence.builder(GruCell.of(5)).returnSequences(true)
                        .build()).head(Head.of(4, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build()),
                Map.entry("rnn per-step regression", Network.builder(3).layer(Sequence.builder(RnnCell.of(5))
                        .returnSequences(true).build()).head(Head.of(2, Head.Target.EVERY_STEP,
                                Head.Loss.MEAN_SQUARED_ERROR)).build()),
                Map.entry("rnn sequences, no head", Network.builder(3).layer(Sequence.builder(RnnCell.of(4))
                        .returnSequences(true).build()).build()),
                Map.entry("gru last time index", one(Sequence.builder(GruCell.of(5))
                        .lastStep(LastStep.LAST_TIME_INDEX).build(), classifier)),
                Map.entry("gru > gru > rnn with dropout", Network.builder(3)
                        .layer(Sequence.builder(GruCell.of(4)).returnSequences(true).build())
                        .layer(Sequence.builder(GruCell.builder(5).linearBeforeReset(true).build())
                                .returnSequences(true).build())
                        .layer(Sequence.of(RnnCell.of(6))).dropout(0.3).head(classifier).build()));
    }

    private static Network one(io.github.recurra.api.cell.Cell cell, Head head) {
        return one(Sequence.of(cell), head);
    }

    private static Network one(Sequence s, Head head) {
        return Network.builder(3).layer(s).head(head).build();
    }

    static List<String> names() {
        return unrollable().keySet().stream().sorted().collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void unrolledGraphsComputeWhatTheStandardGraphComputes(String name) {
        Network net = unrollable().get(name);
        assertTrue(OnnxFormat.canUnroll(net), name);
        Parameters p = Fixtures.parameters(net, name.hashCode());
        boolean gru = net.layers().stream().anyMatch(s -> s.cell() instanceof io.github.recurra.api.cell.GruCell);
        try (OrtModel mu = (OrtModel) unrolled.compile(net, p); OrtModel ms = (OrtModel) standard.compile(net, p)) {
            // GRU networks: 9 rows run the standard graph, 37 and 70 unrolled in two shards; RNN networks: 9 and 37
            // rows run unrolled whole, 70 in two shards
            for (int b : new int[] {9, 37, 70}) {
                for (int t : new int[] {1, 7}) {
                    Tensor x = Fixtures.inputs(b, t, 3, t);
                    for (States init : new States[] {null, Fixtures.states(net, b, t)}) {
                        String what = name + ", batch " + b + ", " + t + " steps"
                                + (init == null ? "" : ", initial states");
                        same(ms.forward(new Batch(x, null), init), mu.forward(new Batch(x, null), init), what);
                    }
                }
            }
            List<String> want = new java.util.ArrayList<>(List.of("standard"));
            if (gru) {
                want.add("standard, initial states");
            }
            for (String v : gru ? List.of(", one thread") : List.of("", ", one thread")) {
                for (int t : new int[] {1, 7}) {
                    want.add("unrolled over " + t + " steps" + v);
                    want.add("unrolled over " + t + " steps, initial states" + v);
                }
            }
            want.sort(null);
            assertEquals(want, mu.graphs(), name);
            assertEquals(List.of("standard", "standard, initial states"), ms.graphs(), name);
        }
    }

    @Test
    void smallGruBatchesRunTheStandardGraph() {
        Network net = one(GruCell.of(5), Head.classifier(3));
        Parameters p = Fixtures.parameters(net, 7);
        try (OrtModel mu = (OrtModel) unrolled.compile(net, p); OrtModel ms = (OrtModel) standard.compile(net, p)) {
            Tensor x = Fixtures.inputs(Routing.MEASURED.gruUnrollFrom() - 1, 4, 3, 7);
            same(ms.forward(x), mu.forward(x), "a small batch");
            assertEquals(List.of("standard"), mu.graphs());
        }
    }

    private static void same(Forward want, Forward got, String what) {
        SAME.assertClose(want.output().data(), got.output().data(), what + ": output");
        assertEquals(java.util.Arrays.toString(want.output().shape()), java.util.Arrays.toString(got.output().shape()),
                what + ": output shape");
        for (int k = 0; k < want.finalStates().layers(); k++) {
            SAME.assertClose(want.finalStates().hidden().get(k).data(), got.finalStates().hidden().get(k).data(),
                    what + ": final hidden state of layer " + k);
            if (want.finalStates().cell().get(k) != null) {
                SAME.assertClose(want.finalStates().cell().get(k).data(), got.finalStates().cell().get(k).data(),
                        what + ": final cell state of layer " + k);
            }
        }
        if (want.logits() != null) {
            SAME.assertClose(want.logits().data(), got.logits().data(), what + ": logits");
            SAME.assertClose(want.predictions().data(), got.predictions().data(), what + ": predictions");
        }
    }

    @Test
    void everythingElseRunsTheStandardGraph() {
        Head head = Head.classifier(2);
        for (Network net : List.of(
                one(LstmCell.of(4), head),
                Network.builder(3).layer(Sequence.builder(GruCell.of(4)).returnSequences(true).build())
                        .layer(Sequence.of(LstmCell.of(4))).head(head).build(),
                one(Sequence.builder(GruCell.of(4)).direction(Direction.REVERSE).build(), head),
                one(Sequence.builder(RnnCell.of(4)).direction(Direction.BIDIRECTIONAL).build(), head),
                one(LstmCell.builder(4).peepholes(true).build(), head),
                one(LstmCell.builder(4).coupledInputForget(true).build(), head),
                one(GruCell.builder(4).clip(0.5f).build(), head),
                one(RnnCell.builder(4).activation(Activation.softsign()).build(), head),
                one(GruCell.builder(4).activations(Activation.hardSigmoid(0.2f, 0.5f), Activation.tanh()).build(),
                        head))) {
            assertFalse(OnnxFormat.canUnroll(net), net.toString());
            try (OrtModel m = (OrtModel) unrolled.compile(net, Fixtures.parameters(net, 1))) {
                m.forward(Fixtures.inputs(70, 3, 3, 1));
                assertEquals(List.of("standard"), m.graphs(), net.toString());
            }
        }
    }

    @Test
    void callsWithLengthsRunTheStandardGraphUnlessEveryExampleIsFull() {
        Network net = one(RnnCell.of(5), Head.classifier(3));
        Parameters p = Fixtures.parameters(net, 3);
        Tensor x = Fixtures.inputs(3, 6, 3, 3);
        try (OrtModel mu = (OrtModel) unrolled.compile(net, p); OrtModel ms = (OrtModel) standard.compile(net, p)) {
            same(ms.forward(new Batch(x, null, null, new int[] {6, 2, 4}), null),
                    mu.forward(new Batch(x, null, null, new int[] {6, 2, 4}), null), "lengths");
            assertEquals(List.of("standard", "standard, lengths"), mu.graphs());
            same(ms.forward(x), mu.forward(new Batch(x, null, null, new int[] {6, 6, 6}), null), "full lengths");
            assertEquals(List.of("standard", "standard, lengths", "unrolled over 6 steps"), mu.graphs());
        }
    }

    @Test
    void atMostFourSequenceLengthsPerModelAreUnrolled() {
        Network net = one(RnnCell.of(4), Head.classifier(2));
        Parameters p = Fixtures.parameters(net, 4);
        try (OrtModel mu = (OrtModel) unrolled.compile(net, p); OrtModel ms = (OrtModel) standard.compile(net, p)) {
            for (int t = 1; t <= 6; t++) {
                Tensor x = Fixtures.inputs(2, t, 3, t);
                same(ms.forward(x), mu.forward(x), t + " steps");
            }
            assertEquals(List.of("standard", "unrolled over 1 steps", "unrolled over 2 steps", "unrolled over 3 steps",
                    "unrolled over 4 steps"), mu.graphs());
            Tensor longer = Fixtures.inputs(2, OnnxFormat.MAX_UNROLLED_STEPS + 1, 3, 9);
            mu.forward(longer);
            assertEquals(5, mu.graphs().size(), "no unrolled graph beyond " + OnnxFormat.MAX_UNROLLED_STEPS + " steps");
        }
    }

    @Test
    void theGraphIsAWellFormedOnnxModel() throws Exception {
        Network net = unrollable().get("gru > gru > rnn with dropout");
        byte[] bytes = OnnxFormat.toUnrolledBytes(net, Fixtures.parameters(net, 5), 3, true);
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(bytes);
        assertEquals(6, m.getIrVersion());
        assertEquals(11, m.getOpsetImport(0).getVersion());
        assertEquals("", m.getOpsetImport(0).getDomain());
        List<String> inputs = m.getGraph().getInputList().stream().map(OnnxMl.ValueInfoProto::getName)
                .collect(Collectors.toList());
        assertEquals(List.of(OnnxNames.INPUT, OnnxNames.initialH(0), OnnxNames.initialH(1), OnnxNames.initialH(2)),
                inputs);
        List<String> outputs = m.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName)
                .collect(Collectors.toList());
        assertEquals(List.of(OnnxNames.finalH(0), OnnxNames.finalH(1), OnnxNames.finalH(2), OnnxNames.OUTPUT,
                OnnxNames.LOGITS), outputs);
        OnnxMl.ValueInfoProto x = m.getGraph().getInput(0);
        assertEquals("batch", x.getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(3, x.getType().getTensorType().getShape().getDim(1).getDimValue());
        // every node reads only graph inputs, initializers or outputs of earlier nodes
        java.util.Set<String> known = new java.util.HashSet<>(inputs);
        m.getGraph().getInitializerList().forEach(t -> known.add(t.getName()));
        for (OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
            for (String in : n.getInputList()) {
                assertTrue(in.isEmpty() || known.contains(in), n.getOpType() + " reads " + in + " before it exists");
            }
            known.addAll(n.getOutputList());
        }
        assertTrue(known.containsAll(outputs));
    }
}
