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
 * Optimizer updates, step by step, against {@code torch.optim} in float32: SGD (plain, momentum, dampening, weight
 * decay, Nesterov), RMSProp (plain; centered with momentum), Adam and AdamW, each over three updates with fixed and
 * with changing gradients, to within {@link Tolerances#optimizerUlps()} units in the last place.
 *
 * <p>Recurra implements the update rules once, in the API, over the gradients a backend returns, so these checks do
 * not depend on the backend under test; they are part of its report because its training uses them. Training
 * through the backend is checked by {@link TrainingConformance}. {@link #optimizer(Golden)} builds the optimizer a
 * case describes; a kit user who ships an optimizer of their own overrides it to put theirs through the same cases.
 */
@ConformanceArea("optimizers")
public abstract class OptimizerConformance extends ConformanceBase {

    /**
     * @param under the backend under test
     */
    protected OptimizerConformance(BackendUnderTest under) {
        super(under);
    }

    static List<Golden> cases() {
        return Golden.list("optimizers");
    }

    /**
     * The optimizer a golden case describes ({@code optimizer}: sgd, adam, adamw or rmsprop, with its
     * hyper-parameters).
     *
     * @param g the case
     * @return the optimizer
     */
    protected Optimizer optimizer(Golden g) {
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
                throw new IllegalArgumentException("unknown optimizer '" + g.text("optimizer") + "' in " + g);
        }
    }

    private static double num(Golden g, String key, double otherwise) {
        return g.has(key) ? g.hyper(key) : otherwise;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void updatesMatchPyTorch(Golden g) {
        Optimizer opt = optimizer(g);
        float[] p0 = g.floats("p0");
        Parameters params = Parameters.empty().put("p", Tensor.of(p0, p0.length));
        OptimizerState state = opt.newState(params);
        List<float[]> grads = g.rows("grads");
        List<float[]> after = g.rows("after");
        int ulps = tolerances().optimizerUlps();
        for (int step = 0; step < after.size(); step++) {
            state.update(params, Parameters.empty().put("p", Tensor.of(grads.get(step), p0.length)));
            float[] want = after.get(step);
            float[] before = step == 0 ? p0 : after.get(step - 1);
            float[] got = params.get("p").data();
            for (int i = 0; i < want.length; i++) {
                double tol = ulps * Math.ulp(Math.max(Math.abs(want[i]), Math.abs(before[i])));
                assertEquals(want[i], got[i], tol, g.name() + " (" + opt + ") update " + (step + 1) + " element " + i);
            }
        }
        assertEquals(after.size(), state.step(), "updates counted");
    }
}
