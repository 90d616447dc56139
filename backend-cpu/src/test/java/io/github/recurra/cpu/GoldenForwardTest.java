package io.github.recurra.cpu;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.spi.Forward;
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
 * Forward outputs against golden vectors from ONNX's numpy reference and from PyTorch (see
 * {@code tools/golden/}): every step's hidden state, the final hidden state and, for LSTM, the final cell state.
 */
class GoldenForwardTest {
    /** Float32 recurrences over a few steps agree with a double-precision reference to a few ulps of O(1) values. */
    private static final double ABS = 2e-6;
    private static final double REL = 1e-5;

    static Stream<String> cases() {
        List<String> all = new ArrayList<>(Golden.CELL_CASES);
        all.add("onnx_gru_seq_length");
        all.add("onnx_rnn_seq_length");
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesIndependentImplementation(String name) {
        Golden g = Golden.load(name);
        int b = g.integer("batch");
        int t = g.integer("time");
        int h = g.integer("hidden");
        Network net = Fixtures.network(g);
        for (int threads : new int[] {1, 2}) {
            try (Model m = new CpuBackend(threads).compile(net, Fixtures.parameters(g, net))) {
                Tensor x = Tensor.of(g.floats("x"), b, t, g.integer("input"));
                Forward f;
                if (g.has("h0")) {
                    List<Tensor> hs = new ArrayList<>();
                    hs.add(Tensor.of(g.floats("h0"), 1, b, h));
                    List<Tensor> cs = new ArrayList<>();
                    cs.add(g.has("c0") ? Tensor.of(g.floats("c0"), 1, b, h) : null);
                    f = m.forward(x, new States(hs, cs));
                } else {
                    f = m.forward(x);
                }
                String what = name + " (threads " + threads + ")";
                Fixtures.assertClose(g.floats("y"), f.output().data(), ABS, REL, what + " Y");
                Fixtures.assertClose(g.floats("hT"), f.finalStates().hidden().get(0).data(), ABS, REL, what + " Y_h");
                if (g.has("cT")) {
                    Fixtures.assertClose(g.floats("cT"), f.finalStates().cell().get(0).data(), ABS, REL,
                            what + " Y_c");
                }
            }
        }
    }
}
