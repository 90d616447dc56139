package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.LearningRateSchedule;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.provider.Arguments;
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
 * <p>The updates run through the backend's {@link TrainingSession} ({@link Model#openTraining}), so a backend that
 * runs the optimizers natively is checked on its own arithmetic: the golden's parameter vector is embedded in the
 * first elements of the input weights of a small network compiled on the backend (a second vector, where the case has
 * one, in the recurrent weights), every other parameter element holds fixed finite values and gets zero gradients,
 * and {@link TrainingSession#apply} takes the golden's gradients. Only the embedded elements are compared (weight
 * decay moves the others too). Training on batches through the backend is checked by {@link TrainingConformance}.
 * {@link #optimizer(Golden)} builds the optimizer a case describes; a kit user overrides it to put other settings
 * through the same cases.
 *
 * <p>The session's learning-rate factor ({@link TrainingSession#setLearningRateFactor}) is checked against the
 * reference host rules ({@link OptimizerState}, outside the session): a session at factor 0.5 must give the updates
 * of the same optimizer at half the learning rate, for every update rule, a schedule, weight decay and clipping.
 */
@ConformanceArea("optimizers")
public abstract class OptimizerConformance extends ConformanceBase {
    /** A network whose W (4 × 3) and R (4 × 4) hold the golden vectors (8 and 6 elements). */
    static final Network NET = Network.builder(3).layer(Sequence.of(RnnCell.of(4))).head(Head.classifier(2)).build();
    private static final String P = Parameters.w(0);
    private static final String Q = Parameters.r(0);

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
     * Every update of every case, each applied through the session to PyTorch's parameters before it: between
     * updates the session is closed, PyTorch's parameters are set on the model, and a new session continues from the
     * previous one's {@link TrainingSession#slots()} and {@link TrainingSession#updates()} (which checks
     * {@link TrainingSession#restore} too). Cases with a second tensor ({@code p0b}, {@code gradsB}, {@code afterB})
     * check that clipping by global norm spans all tensors. Where the case lists them, the learning rate of each
     * update and the global norm before clipping (what {@code apply} returns) are checked too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.OptimizerConformance#cases")
    void updatesMatchPyTorch(Golden g) {
        Optimizer opt = optimizer(g);
        boolean two = g.has("p0b");
        Parameters start = fixedParameters();
        embed(start, P, g.floats("p0"));
        if (two) {
            embed(start, Q, g.floats("p0b"));
        }
        List<float[]> after = g.rows("after");
        try (Model m = compile(NET, start, needs(NET, null, null, true))) {
            Parameters slots = null;
            for (int step = 0; step < after.size(); step++) {
                String what = g.name() + " (" + opt + ") update " + (step + 1);
                // each update starts from PyTorch's parameters, so it is checked on its own rounding alone
                if (step > 0) {
                    Parameters reset = m.parameters();
                    embed(reset, P, after.get(step - 1));
                    if (two) {
                        embed(reset, Q, g.rows("afterB").get(step - 1));
                    }
                    m.setParameters(reset);
                }
                Parameters grads = start.zerosLike();
                embed(grads, P, g.rows("grads").get(step));
                if (two) {
                    embed(grads, Q, g.rows("gradsB").get(step));
                }
                double norm;
                try (TrainingSession session = m.openTraining(opt)) {
                    if (slots != null) {
                        session.restore(slots, step);
                    }
                    norm = session.apply(grads);
                    assertEquals(step + 1, session.updates(), what + ": updates counted by the session");
                    slots = session.slots();
                }
                assertFalse(Double.isNaN(norm), what + ": the session refused a finite update");
                if (g.has("lrs")) {
                    double lr = g.number("lrs", step);
                    assertEquals(lr, opt.schedule().rate(step + 1), 1e-12 * lr, what + ": learning rate");
                }
                if (g.has("globalNorms")) {
                    double want = g.number("globalNorms", step);
                    assertEquals(want, norm, 1e-6 * want, what + ": global norm before clipping");
                }
                Parameters got = m.parameters();
                assertUlps(step == 0 ? g.floats("p0") : after.get(step - 1), after.get(step), got.get(P).data(),
                        what);
                if (two) {
                    assertUlps(step == 0 ? g.floats("p0b") : g.rows("afterB").get(step - 1),
                            g.rows("afterB").get(step), got.get(Q).data(), what + ", second tensor");
                }
            }
        }
    }

    static List<Arguments> factorCases() {
        return List.of(
                Arguments.of("sgd momentum", Sgd.builder().learningRate(0.1).momentum(0.9).build(),
                        Sgd.builder().learningRate(0.05).momentum(0.9).build()),
                Arguments.of("sgd step schedule, weight decay", Sgd.builder().schedule(LearningRateSchedule.step(0.1, 2,
                        0.5)).weightDecay(0.01).build(), Sgd.builder().schedule(LearningRateSchedule.step(0.05, 2,
                        0.5)).weightDecay(0.01).build()),
                Arguments.of("adam, global-norm clipping", Adam.builder().learningRate(0.01)
                        .clipping(Clipping.globalNorm(1.0)).build(), Adam.builder().learningRate(0.005)
                        .clipping(Clipping.globalNorm(1.0)).build()),
                Arguments.of("adamw", AdamW.builder().learningRate(0.01).weightDecay(0.1).build(),
                        AdamW.builder().learningRate(0.005).weightDecay(0.1).build()),
                Arguments.of("rmsprop centered momentum", RmsProp.builder().learningRate(0.01).centered(true)
                        .momentum(0.9).build(), RmsProp.builder().learningRate(0.005).centered(true).momentum(0.9)
                        .build()));
    }

    /**
     * A session with learning-rate factor 0.5 applies, update after update, what the reference host rules give for
     * the same optimizer at half the learning rate (within {@link Tolerances#optimizerUlps()}, on every parameter
     * element), reports the factor it was given, and after the factor is set back to 1 continues as the full-rate
     * optimizer from the same slots. Factors that are not positive and finite are refused, and the factor is not
     * counted as an update.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.OptimizerConformance#factorCases")
    void learningRateFactorScalesTheScheduledRate(String name, Optimizer full, Optimizer half) {
        Parameters start = fixedParameters();
        SplittableRandom random = new SplittableRandom(42);
        List<Parameters> grads = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Parameters g = start.zerosLike();
            for (Tensor t : g.asMap().values()) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = (float) random.nextDouble(-1, 1);
                }
            }
            grads.add(g);
        }
        // the reference: three updates of the half-rate optimizer, then one of the full-rate one from its slots
        Parameters want = start.copy();
        OptimizerState halfState = half.newState(want);
        List<Parameters> wants = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            halfState.update(want, grads.get(k).copy());
            wants.add(want.copy());
        }
        OptimizerState fullState = full.newState(want);
        fullState.restore(halfState.slots(), 3);
        fullState.update(want, grads.get(3).copy());
        wants.add(want.copy());

        try (Model m = compile(NET, start, needs(NET, null, null, true));
                TrainingSession session = m.openTraining(full)) {
            assertEquals(1.0, session.learningRateFactor(), name + ": a new session's factor");
            for (double bad : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThrows(IllegalArgumentException.class, () -> session.setLearningRateFactor(bad),
                        name + ": factor " + bad);
            }
            session.setLearningRateFactor(0.5);
            assertEquals(0.5, session.learningRateFactor(), name + ": the factor set");
            assertEquals(0, session.updates(), name + ": setting the factor is not an update");
            for (int k = 0; k < 4; k++) {
                if (k == 3) {
                    session.setLearningRateFactor(1);
                }
                assertFalse(Double.isNaN(session.apply(grads.get(k))), name + ": the session refused update " + k);
                Parameters got = m.parameters();
                Parameters before = k == 0 ? start : wants.get(k - 1);
                for (String p : start.names()) {
                    assertUlps(before.get(p).data(), wants.get(k).get(p).data(), got.get(p).data(),
                            name + " update " + (k + 1) + " at factor " + (k == 3 ? 1 : 0.5) + ", " + p);
                }
            }
        }
        // after the session is closed (try-with-resources above), setting the factor is refused
        try (Model m = compile(NET, start, needs(NET, null, null, true))) {
            TrainingSession closed = m.openTraining(full);
            closed.close();
            assertThrows(IllegalStateException.class, () -> closed.setLearningRateFactor(0.5),
                    name + ": setting the factor of a closed session");
        }
    }

    /** Every parameter element a fixed, small, finite value. */
    private static Parameters fixedParameters() {
        Parameters p = Initialization.defaults().initialize(NET, 0).zerosLike();
        int k = 0;
        for (Tensor t : p.asMap().values()) {
            float[] d = t.data();
            for (int i = 0; i < t.size(); i++) {
                d[i] = (float) (0.25 * Math.sin(++k));
            }
        }
        return p;
    }

    /** Writes {@code values} into the first elements of {@code name}. */
    private static void embed(Parameters p, String name, float[] values) {
        System.arraycopy(values, 0, p.get(name).data(), 0, values.length);
    }

    private void assertUlps(float[] before, float[] want, float[] got, String what) {
        int ulps = tolerances().optimizerUlps();
        for (int i = 0; i < want.length; i++) {
            double tol = ulps * Math.ulp(Math.max(Math.abs(want[i]), Math.abs(before[i])));
            assertEquals(want[i], got[i], tol, what + " element " + i);
        }
    }
}
