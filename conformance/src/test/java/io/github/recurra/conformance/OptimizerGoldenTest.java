package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first three updates of every optimizer equal PyTorch's ({@code torch.optim}, float32) to float tolerance: SGD
 * (plain, momentum, dampening and weight decay, Nesterov), RMSProp (plain, centered with momentum), Adam and AdamW.
 */
class OptimizerGoldenTest {

    static List<Golden> cases() {
        return Golden.list("optimizers");
    }

    static Optimizer optimizer(Golden g) {
        double lr = g.hyper("lr");
        switch (g.text("optimizer")) {
            case "sgd":
                return Sgd.builder().learningRate(lr).momentum(num(g, "momentum", 0))
                        .dampening(num(g, "dampening", 0)).weightDecay(num(g, "weightDecay", 0))
                        .nesterov(g.flag("nesterov", false)).build();
            case "adam":
                return Adam.builder().learningRate(lr).beta1(g.hyper("beta1")).beta2(g.hyper("beta2"))
                        .epsilon(g.hyper("eps")).build();
            case "adamw":
                return AdamW.builder().learningRate(lr).beta1(g.hyper("beta1")).beta2(g.hyper("beta2"))
                        .epsilon(g.hyper("eps")).weightDecay(g.hyper("weightDecay")).build();
            case "rmsprop":
                return RmsProp.builder().learningRate(lr).alpha(g.hyper("alpha")).epsilon(g.hyper("eps"))
                        .momentum(num(g, "momentum", 0)).centered(g.flag("centered", false))
                        .weightDecay(num(g, "weightDecay", 0)).build();
            default:
                throw new IllegalArgumentException("unknown optimizer in " + g);
        }
    }

    private static double num(Golden g, String key, double otherwise) {
        return g.has(key) ? g.hyper(key) : otherwise;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstThreeUpdatesMatchPyTorch(Golden g) {
        Optimizer opt = optimizer(g);
        float[] p0 = g.floats("p0");
        Parameters params = Parameters.empty().put("p", Tensor.of(p0, p0.length));
        OptimizerState state = opt.newState(params);
        List<float[]> grads = g.rows("grads");
        List<float[]> after = g.rows("after");
        for (int step = 0; step < 3; step++) {
            Parameters grad = Parameters.empty().put("p", Tensor.of(grads.get(step), p0.length));
            state.update(params, grad);
            float[] want = after.get(step);
            float[] before = step == 0 ? p0 : after.get(step - 1);
            float[] got = params.get("p").data();
            for (int i = 0; i < want.length; i++) {
                // a few float32 rounding steps at the magnitude of the values the update combines
                double tol = 4 * Math.ulp(Math.max(Math.abs(want[i]), Math.abs(before[i])));
                assertEquals(want[i], got[i], tol, g.name() + " step " + (step + 1) + " element " + i);
            }
        }
        assertEquals(3, state.step());
    }
}
