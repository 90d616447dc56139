package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.Streaming;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequence semantics against PyTorch ({@code nn.LSTM}/{@code nn.GRU}/{@code nn.RNN} with {@code num_layers},
 * {@code bidirectional}, packed sequences for lengths, {@code h0}/{@code c0}):
 * <ul>
 *   <li>reverse, bidirectional and stacked layers: outputs at every step and every layer's final states;</li>
 *   <li>merge modes: {@code SUM}, {@code AVERAGE} and {@code MULTIPLY} combine the two directions' outputs that the
 *       golden concatenation holds;</li>
 *   <li>returning the last step: the merge of the directions' final states, or with {@code LastStep.LAST_TIME_INDEX}
 *       PyTorch's {@code y[:, -1, :]} ({@code y[b, len_b - 1, :]} of packed sequences), merged, while the final
 *       states stay the real ones;</li>
 *   <li>sequence lengths: outputs past an example's length are exactly zero, its state stays as it was at its last
 *       step (the golden final states), and running a short example alone gives the same outputs;</li>
 *   <li>initial and final states: a sequence split in two, the second part started from the first part's final
 *       states, gives the whole sequence's outputs, and so does {@link Streaming} step by step.</li>
 * </ul>
 */
@ConformanceArea("sequence semantics")
public abstract class SequenceConformance extends ConformanceBase {

    /**
     * @param under the backend under test
     */
    protected SequenceConformance(BackendUnderTest under) {
        super(under);
    }

    static List<String> sequences() {
        return List.of("seq_lstm_reverse", "seq_gru_reverse", "seq_rnn_tanh_reverse", "seq_lstm_bidirectional",
                "seq_gru_bidirectional", "seq_rnn_relu_bidirectional", "seq_lstm_stacked",
                "seq_gru_stacked_bidirectional", "seq_lstm_lengths", "seq_gru_lengths", "seq_rnn_tanh_lengths",
                "seq_lstm_bidirectional_lengths", "seq_gru_stacked_bidirectional_lengths",
                "seq_lstm_reverse_lengths");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.SequenceConformance#sequences")
    void outputsAndFinalStatesMatchPyTorch(String name) {
        matchesGolden(GoldenCase.load(name));
    }

    @ParameterizedTest
    @EnumSource(value = MergeMode.class, names = {"SUM", "AVERAGE", "MULTIPLY"})
    void mergeModesCombineTheDirections(MergeMode mode) {
        GoldenCase c = GoldenCase.load("seq_lstm_bidirectional_lengths");
        Network net = Network.builder(c.network.inputSize()).layer(Sequence.builder(c.network.layers().get(0).cell())
                .direction(Direction.BIDIRECTIONAL).mergeMode(mode).returnSequences(true).build()).build();
        int h = net.layers().get(0).cell().hiddenSize();
        float[] concat = c.y();
        float[] want = new float[concat.length / 2];
        for (int row = 0; row < want.length / h; row++) {
            for (int j = 0; j < h; j++) {
                double fwd = concat[row * 2 * h + j];
                double bwd = concat[row * 2 * h + h + j];
                want[row * h + j] = (float) (mode == MergeMode.SUM ? fwd + bwd
                        : mode == MergeMode.AVERAGE ? (fwd + bwd) / 2 : fwd * bwd);
            }
        }
        try (Model m = compile(net, c.parameters, needs(net, c.batch, null, false))) {
            Forward f = m.forward(c.batch, null);
            tolerances().forward().assertClose(want, f.output().data(), mode + " merge");
            tolerances().forward().assertClose(c.hT(0), f.finalStates().hidden().get(0).data(), mode + " Y_h");
        }
    }

    static List<String> lastStepCases() {
        return List.of("seq_lstm_lengths", "seq_gru_reverse", "seq_lstm_bidirectional_lengths",
                "seq_rnn_relu_bidirectional");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.SequenceConformance#lastStepCases")
    void lastStepIsTheMergeOfFinalStates(String name) {
        GoldenCase c = GoldenCase.load(name);
        Sequence s = c.network.layers().get(0);
        Network net = Network.builder(c.network.inputSize()).layer(Sequence.builder(s.cell())
                .direction(s.direction()).returnSequences(false).build()).build();
        int b = c.batch.inputs().dim(0);
        int h = s.cell().hiddenSize();
        int dirs = s.direction().count();
        float[] hT = c.hT(0);
        float[] want = new float[b * dirs * h];
        for (int d = 0; d < dirs; d++) {
            for (int i = 0; i < b; i++) {
                System.arraycopy(hT, (d * b + i) * h, want, (i * dirs + d) * h, h);
            }
        }
        try (Model m = compile(net, c.parameters, needs(net, c.batch, c.initial, false))) {
            Forward f = m.forward(c.batch, c.initial);
            assertEquals(List.of(b, dirs * h), dims(f.output()), name + ": shape of the last-step output");
            tolerances().forward().assertClose(want, f.output().data(), name + ": last-step output");
        }
    }

    static List<String> lastTimeIndexCases() {
        return Golden.LAST_TIME_INDEX_CASES;
    }

    /**
     * The last layer's output at each example's last valid time index, merged, against PyTorch's {@code y[:, -1, :]}
     * (for a reverse direction its output after one step), and every layer's final states, which stay the
     * directions' real final states.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.SequenceConformance#lastTimeIndexCases")
    void lastTimeIndexIsPyTorchsLastIndex(String name) {
        GoldenCase c = GoldenCase.load(name);
        try (Model m = compile(c.network, c.parameters, needs(c.network, c.batch, c.initial, false))) {
            Forward f = m.forward(c.batch, c.initial);
            Tolerance tol = tolerances().forward();
            assertEquals(List.of(c.batch.size(), c.network.outputSize()), dims(f.output()),
                    name + ": shape of the last-step output");
            tol.assertClose(c.yLast(), f.output().data(), name + ": output at the last time index");
            for (int k = 0; k < c.network.layers().size(); k++) {
                tol.assertClose(c.hT(k), f.finalStates().hidden().get(k).data(), name + ": Y_h of layer " + k);
                if (c.cT(k) != null) {
                    tol.assertClose(c.cT(k), f.finalStates().cell().get(k).data(), name + ": Y_c of layer " + k);
                }
            }
        }
    }

    @Test
    void aShortExampleAloneGivesTheSameOutputs() {
        GoldenCase c = GoldenCase.load("seq_gru_stacked_bidirectional_lengths");
        int[] lengths = c.batch.lengths();
        int example = 1;
        int len = lengths[example];
        Tensor x = c.batch.inputs();
        int t = x.dim(1);
        int f = x.dim(2);
        float[] alone = new float[len * f];
        System.arraycopy(x.data(), example * t * f, alone, 0, len * f);
        try (Model m = compile(c.network, c.parameters, needs(c.network, c.batch, null, false))) {
            Forward whole = m.forward(c.batch, null);
            Forward single = m.forward(Tensor.of(alone, 1, len, f));
            int out = whole.output().dim(2);
            float[] want = new float[len * out];
            System.arraycopy(whole.output().data(), example * t * out, want, 0, len * out);
            tolerances().crossBackend().assertClose(want, single.output().data(),
                    "example " + example + " (length " + len + ") run alone");
        }
    }

    @Test
    void finalStatesCarryASequenceOn() {
        GoldenCase c = GoldenCase.load("seq_lstm_stacked");
        Tensor x = c.batch.inputs();
        int split = x.dim(1) / 2;
        Set<Capability> need = needs(c.network, null, null, false);
        need.add(Capability.INITIAL_STATES);
        try (Model m = compile(c.network, c.parameters, need)) {
            Forward first = m.forward(x.steps(0, split), c.initial);
            Forward second = m.forward(x.steps(split, x.dim(1) - split), first.finalStates());
            float[] joined = Tensor.concatSteps(List.of(first.output(), second.output())).data();
            tolerances().forward().assertClose(c.y(), joined, "outputs of two halves, the second started from the "
                    + "first's final states");
            for (int k = 0; k < c.network.layers().size(); k++) {
                tolerances().forward().assertClose(c.hT(k), second.finalStates().hidden().get(k).data(),
                        "Y_h of layer " + k + " after two halves");
            }
        }
    }

    @Test
    void streamingStepByStepEqualsTheWholeSequence() {
        GoldenCase c = GoldenCase.load("seq_lstm_stacked");
        Tensor x = c.batch.inputs();
        Set<Capability> need = EnumSet.of(Capability.INITIAL_STATES);
        try (Model m = compile(c.network, c.parameters, need)) {
            Forward whole = m.forward(x);
            try (Streaming s = m.openStream(x.dim(0))) {
                List<Tensor> parts = new ArrayList<>();
                for (int step = 0; step < x.dim(1); step++) {
                    parts.add(s.feed(x.steps(step, 1)).output());
                }
                float[] joined = Tensor.concatSteps(parts).data();
                tolerances().streaming().assertClose(whole.output().data(), joined, "streamed outputs");
                for (int k = 0; k < c.network.layers().size(); k++) {
                    tolerances().streaming().assertClose(whole.finalStates().hidden().get(k).data(),
                            s.state().hidden().get(k).data(), "streamed final state of layer " + k);
                }
            }
        }
    }

    private static List<Integer> dims(Tensor t) {
        List<Integer> d = new ArrayList<>();
        for (int v : t.shape()) {
            d.add(v);
        }
        return d;
    }
}
