package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.optim.Sgd;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The first three updates of SGD and Adam equal PyTorch's ({@code torch.optim}, float32) to float tolerance. */
class OptimizerGoldenTest {

    static List<Golden> cases() {
        return Golden.list("optimizers");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstThreeUpdatesMatchPyTorch(Golden g) {
        Optimizer opt = "adam".equals(g.text("optimizer"))
                ? Adam.builder().learningRate(g.number("lr")).beta1(g.number("beta1")).beta2(g.number("beta2"))
                        .epsilon(g.number("eps")).build()
                : Sgd.builder().learningRate(g.number("lr")).build();
        float[] p0 = g.floats("p0");
        Parameters params = Parameters.empty().put("p", Tensor.of(p0, p0.length));
        OptimizerState state = opt.newState(params);
        List<float[]> grads = g.rows("grads");
        List<float[]> after = g.rows("after");
        for (int step = 0; step < 3; step++) {
            Parameters grad = Parameters.empty().put("p", Tensor.of(grads.get(step), p0.length));
            state.update(params, grad);
            float[] want = after.get(step);
            float[] got = params.get("p").data();
            for (int i = 0; i < want.length; i++) {
                // one or two float32 rounding steps of the parameter's magnitude
                double tol = 4 * Math.ulp(Math.max(Math.abs(want[i]), Math.abs(p0[i])));
                assertEquals(want[i], got[i], tol, g.name() + " step " + (step + 1) + " element " + i);
            }
        }
        assertEquals(3, state.step());
    }
}
