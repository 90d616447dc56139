package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.LearningRateSchedule;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.optim.Sgd;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules equal their formulas, worked out by hand here; clipping by value. */
class ScheduleTest {

    @Test
    void stepDecay() {
        LearningRateSchedule s = LearningRateSchedule.step(0.1, 3, 0.5);
        double[] want = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int t = 1; t <= want.length; t++) {
            assertEquals(want[t - 1], s.rate(t), 1e-15, "t=" + t);
        }
    }

    @Test
    void exponentialDecay() {
        LearningRateSchedule s = LearningRateSchedule.exponential(0.2, 0.9);
        assertEquals(0.2, s.rate(1), 1e-15);
        assertEquals(0.18, s.rate(2), 1e-15);
        assertEquals(0.2 * 0.729, s.rate(4), 1e-15);
    }

    @Test
    void cosineAnnealing() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 4, 0.2);
        assertEquals(1.0, s.rate(1), 1e-15);
        assertEquals(0.2 + 0.8 * (1 + Math.sqrt(0.5)) / 2, s.rate(2), 1e-15);
        assertEquals(0.6, s.rate(3), 1e-15);
        assertEquals(0.2, s.rate(5), 1e-15);
        assertEquals(0.2, s.rate(50), 1e-15);
    }

    @Test
    void warmupRampsLinearly() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.4).withWarmup(4);
        assertEquals(0.1, s.rate(1), 1e-15);
        assertEquals(0.3, s.rate(3), 1e-15);
        assertEquals(0.4, s.rate(4), 1e-15);
        assertEquals(0.4, s.rate(9), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> s.rate(0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(0.1, 1.5));
    }

    @Test
    void optimizersFollowTheirSchedule() {
        Sgd sgd = Sgd.builder().schedule(LearningRateSchedule.step(1.0, 1, 0.5)).build();
        Parameters p = Parameters.empty().put("w", Tensor.of(new float[] {0f}, 1));
        OptimizerState st = sgd.newState(p);
        for (int i = 0; i < 3; i++) {
            st.update(p, Parameters.empty().put("w", Tensor.of(new float[] {1f}, 1)));
        }
        assertEquals(-(1.0 + 0.5 + 0.25), p.get("w").get(0), 1e-7);
        assertEquals(1.0, sgd.learningRate());
    }

    @Test
    void clippingByValueThenByNorm() {
        Parameters g = Parameters.empty().put("a", Tensor.of(new float[] {5f, -0.5f, 0.25f}, 3));
        double before = Clipping.byValue(1.0).apply(g);
        assertEquals(Math.sqrt(25 + 0.25 + 0.0625), before, 1e-9);
        assertEquals(1f, g.get("a").get(0));
        assertEquals(-0.5f, g.get("a").get(1));
        Parameters h = Parameters.empty().put("a", Tensor.of(new float[] {3f, -4f}, 2));
        Clipping.byValue(3.0).andGlobalNorm(1.0).apply(h);
        // by value: (3, -3), norm 3*sqrt(2), then scaled to norm 1
        assertEquals(1 / Math.sqrt(2), h.get("a").get(0), 1e-7);
        assertEquals(-1 / Math.sqrt(2), h.get("a").get(1), 1e-7);
        assertThrows(IllegalArgumentException.class, () -> Clipping.byValue(0));
        assertThrows(IllegalArgumentException.class, () -> Sgd.builder().nesterov(true).build());
        assertEquals(0.01, Optimizer.sgd(0.01).learningRate());
    }
}
