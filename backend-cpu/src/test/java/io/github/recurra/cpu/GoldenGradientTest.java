package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole-network loss, logits and gradients (recurrent layer, dense head on the last step, mean softmax
 * cross-entropy) against PyTorch autograd.
 */
class GoldenGradientTest {

    static Iterable<String> cases() {
        return Golden.NETWORK_CASES;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorchAutograd(String name) {
        Golden g = Golden.load(name);
        Network net = Fixtures.network(g);
        Tensor x = Tensor.of(g.floats("x"), g.integer("batch"), g.integer("time"), g.integer("input"));
        for (int threads : new int[] {1, 2}) {
            try (Model m = new CpuBackend(threads).compile(net, Fixtures.parameters(g, net))) {
                LossAndGradients lg = m.lossAndGradients(new Batch(x, g.ints("labels")));
                String what = name + " (threads " + threads + ")";
                assertEquals(g.number("loss"), lg.loss(), 1e-6 * Math.abs(g.number("loss")) + 1e-7, what + " loss");
                Fixtures.assertClose(g.floats("logits"), lg.logits().data(), 2e-6, 1e-5, what + " logits");
                Parameters d = lg.gradients();
                Fixtures.assertClose(g.floats("gradW"), d.get(Parameters.w(0)).data(), 1e-6, 1e-4, what + " dW");
                Fixtures.assertClose(g.floats("gradR"), d.get(Parameters.r(0)).data(), 1e-6, 1e-4, what + " dR");
                Fixtures.assertClose(g.floats("gradB"), d.get(Parameters.b(0)).data(), 1e-6, 1e-4, what + " dB");
                Fixtures.assertClose(g.floats("gradHeadW"), d.get(Parameters.HEAD_W).data(), 1e-6, 1e-4,
                        what + " dHeadW");
                Fixtures.assertClose(g.floats("gradHeadB"), d.get(Parameters.HEAD_B).data(), 1e-6, 1e-4,
                        what + " dHeadB");
            }
        }
    }
}
