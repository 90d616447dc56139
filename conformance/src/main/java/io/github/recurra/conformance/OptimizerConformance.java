package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Optimizer updates, step by step, against {@code torch.optim} in float32: SGD (plain, momentum, dampening, weight
 * decay, Nesterov), RMSProp (plain; centered with momentum), Adam and AdamW, each over three updates with fixed and
 * with changing gradients; gradient clipping by value, by global norm across tensors, and both; and the step,
 * exponential, cosine and warm-up learning-rate schedules (PyTorch's {@code StepLR}, {@code ExponentialLR},
 * {@code CosineAnnealingLR}, {@code LinearLR}), each update to within {@link Tolerances#optimizerUlps()} units in the
 * last place.
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
        List<Golden> all = new ArrayList<>(Golden.list("optimizers"));
        all.addAll(Golden.list("optimizer_extras"));
        return all;
    }

    /**
     * The optimizer a golden case describes ({@code optimizer}: sgd, adam, adamw or rmsprop, with its
     * hyper-parameters).
     *
     * @param g the case
     * @return the optimizer
     */
    protected Optimizer optimizer(Golden g) {
        return GoldenOptimizers.of(g);
    }

    /**
     * Every update of every case, each applied to PyTorch's parameters before it; cases with a second tensor ({@code p0b}, {@code gradsB}, {@code afterB}) check that
     * clipping by global norm spans all tensors. Where the case lists them, the learning rate of each update and the
     * global norm before clipping are checked too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.OptimizerConformance#cases")
    void updatesMatchPyTorch(Golden g) {
        Optimizer opt = optimizer(g);
        boolean two = g.has("p0b");
        Parameters params = Parameters.empty().put("p", Tensor.of(g.floats("p0"), g.floats("p0").length));
        if (two) {
            params.put("q", Tensor.of(g.floats("p0b"), g.floats("p0b").length));
        }
        OptimizerState state = opt.newState(params);
        List<float[]> after = g.rows("after");
        for (int step = 0; step < after.size(); step++) {
            Parameters grads = Parameters.empty().put("p", Tensor.of(g.rows("grads").get(step), after.get(0).length));
            if (two) {
                grads.put("q", Tensor.of(g.rows("gradsB").get(step), g.floats("p0b").length));
            }
            String what = g.name() + " (" + opt + ") update " + (step + 1);
            // each update starts from PyTorch's parameters, so it is checked on its own rounding alone
            if (step > 0) {
                System.arraycopy(after.get(step - 1), 0, params.get("p").data(), 0, after.get(step - 1).length);
                if (two) {
                    float[] prev = g.rows("afterB").get(step - 1);
                    System.arraycopy(prev, 0, params.get("q").data(), 0, prev.length);
                }
            }
            double norm = state.update(params, grads);
            if (g.has("lrs")) {
                double lr = g.number("lrs", step);
                assertEquals(lr, opt.schedule().rate(step + 1), 1e-12 * lr, what + ": learning rate");
            }
            if (g.has("globalNorms")) {
                double want = g.number("globalNorms", step);
                assertEquals(want, norm, 1e-6 * want, what + ": global norm before clipping");
            }
            assertUlps(step == 0 ? g.floats("p0") : after.get(step - 1), after.get(step), params.get("p").data(),
                    what);
            if (two) {
                assertUlps(step == 0 ? g.floats("p0b") : g.rows("afterB").get(step - 1), g.rows("afterB").get(step),
                        params.get("q").data(), what + ", second tensor");
            }
        }
        assertEquals(after.size(), state.step(), "updates counted");
    }

    private void assertUlps(float[] before, float[] want, float[] got, String what) {
        int ulps = tolerances().optimizerUlps();
        for (int i = 0; i < want.length; i++) {
            double tol = ulps * Math.ulp(Math.max(Math.abs(want[i]), Math.abs(before[i])));
            assertEquals(want[i], got[i], tol, what + " element " + i);
        }
    }
}
