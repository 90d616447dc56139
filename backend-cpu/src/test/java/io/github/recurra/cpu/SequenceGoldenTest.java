package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reverse, bidirectional, stacked, per-example lengths and initial states against PyTorch (packed sequences,
 * {@code h0}/{@code c0}, autograd): outputs at every step, final states of every layer, and for whole networks with
 * per-step or last-step, softmax or squared-error heads, the loss and all gradients including those of the initial
 * states. Cases and generator: {@code tools/golden/}.
 */
class SequenceGoldenTest {

    static Stream<String> sequences() {
        return Stream.of("seq_lstm_reverse", "seq_gru_reverse", "seq_rnn_tanh_reverse", "seq_lstm_bidirectional",
                "seq_gru_bidirectional", "seq_rnn_relu_bidirectional", "seq_lstm_stacked",
                "seq_gru_stacked_bidirectional", "seq_lstm_lengths", "seq_gru_lengths", "seq_rnn_tanh_lengths",
                "seq_lstm_bidirectional_lengths", "seq_gru_stacked_bidirectional_lengths", "seq_lstm_reverse_lengths");
    }

    static Stream<String> networks() {
        return Stream.of("seqnet_gru_bidirectional_stacked_lengths_every_step", "seqnet_lstm_lengths_last_step",
                "seqnet_lstm_bidirectional_last_step_mse", "seqnet_rnn_stacked_every_step_mse",
                "seqnet_lstm_h0_every_step");
    }

    static Network network(Golden g) {
        Direction dir = Direction.valueOf(g.text("direction").toUpperCase(java.util.Locale.ROOT));
        int layers = g.integer("layers");
        Head head = null;
        if (g.has("head")) {
            String h = g.text("head");
            head = Head.of(g.integer(h.endsWith("mse") ? "outputs" : "classes"),
                    h.startsWith("every") ? Head.Target.EVERY_STEP : Head.Target.LAST_STEP,
                    h.endsWith("mse") ? Head.Loss.MEAN_SQUARED_ERROR : Head.Loss.SOFTMAX_CROSS_ENTROPY);
        }
        Network.Builder b = Network.builder(g.integer("input"));
        for (int k = 0; k < layers; k++) {
            boolean seq = k < layers - 1 || head == null || head.target() == Head.Target.EVERY_STEP;
            b.layer(Sequence.builder(g.cell()).direction(dir).returnSequences(seq).build());
        }
        if (head != null) {
            b.head(head);
        }
        return b.build();
    }

    static Parameters parameters(Golden g, Network net) {
        Parameters p = Parameters.zerosFor(net);
        for (String name : g.keys("params")) {
            Fixtures.copy(g.floats("params", name), p.get(name));
        }
        if (g.has("headW")) {
            Fixtures.copy(g.floats("headW"), p.get(Parameters.HEAD_W));
            Fixtures.copy(g.floats("headB"), p.get(Parameters.HEAD_B));
        }
        return p;
    }

    static States initial(Golden g, Network net) {
        if (!g.has("h0")) {
            return null;
        }
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        int b = g.integer("batch");
        for (int k = 0; k < net.layers().size(); k++) {
            Sequence s = net.layers().get(k);
            int[] shape = {s.direction().count(), b, s.cell().hiddenSize()};
            h.add(Tensor.of(g.floats("h0", "layer" + k), shape));
            c.add(g.has("c0") ? Tensor.of(g.floats("c0", "layer" + k), shape) : null);
        }
        return new States(h, c);
    }

    static Tensor inputs(Golden g) {
        return Tensor.of(g.floats("x"), g.integer("batch"), g.integer("time"), g.integer("input"));
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void outputsAndFinalStatesMatchPyTorch(String name) {
        Golden g = Golden.load(name);
        Network net = network(g);
        Batch batch = new Batch(inputs(g), null, null, g.has("lengths") ? g.ints("lengths") : null);
        for (int threads : new int[] {1, 2}) {
            try (Model m = new CpuBackend(threads).compile(net, parameters(g, net))) {
                Forward f = m.forward(batch, initial(g, net));
                String what = name + " (threads " + threads + ")";
                Fixtures.assertClose(g.floats("y"), f.output().data(), 2e-6, 1e-5, what + " Y");
                for (int k = 0; k < net.layers().size(); k++) {
                    Fixtures.assertClose(g.floats("hT", "layer" + k), f.finalStates().hidden().get(k).data(), 2e-6,
                            1e-5, what + " Y_h of layer " + k);
                    if (g.has("cT")) {
                        Fixtures.assertClose(g.floats("cT", "layer" + k), f.finalStates().cell().get(k).data(), 2e-6,
                                1e-5, what + " Y_c of layer " + k);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    void lossAndGradientsMatchPyTorch(String name) {
        Golden g = Golden.load(name);
        Network net = network(g);
        Head head = net.requireHead();
        int b = g.integer("batch");
        int t = g.integer("time");
        boolean mse = head.loss() == Head.Loss.MEAN_SQUARED_ERROR;
        Tensor targets = null;
        if (mse) {
            targets = head.target() == Head.Target.EVERY_STEP ? Tensor.of(g.floats("targets"), b, t, head.outputs())
                    : Tensor.of(g.floats("targets"), b, head.outputs());
        }
        Batch batch = new Batch(inputs(g), mse ? null : g.ints("labels"), targets,
                g.has("lengths") ? g.ints("lengths") : null);
        for (int threads : new int[] {1, 2}) {
            try (Model m = new CpuBackend(threads).compile(net, parameters(g, net))) {
                LossAndGradients lg = m.lossAndGradients(batch, initial(g, net), 0L);
                String what = name + " (threads " + threads + ")";
                assertEquals(g.number("loss"), lg.loss(), 1e-6 * Math.abs(g.number("loss")) + 1e-7, what + " loss");
                for (String p : g.keys("grads")) {
                    Fixtures.assertClose(g.floats("grads", p), lg.gradients().get(p).data(), 1e-6, 1e-4,
                            what + " d" + p);
                }
                if (g.has("gradH0")) {
                    Fixtures.assertClose(g.floats("gradH0", "layer0"), lg.initialStateGradients().hidden().get(0).data(),
                            1e-6, 1e-4, what + " dh0");
                    Fixtures.assertClose(g.floats("gradC0", "layer0"), lg.initialStateGradients().cell().get(0).data(),
                            1e-6, 1e-4, what + " dc0");
                }
            }
        }
    }
}
