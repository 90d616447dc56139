package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.LearningRateSchedule;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.TrainingStep;
import io.github.recurra.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host training session's contract, against the scripted model of {@link TrainerTest}. */
class TrainingSessionTest {
    static final Batch BATCH = TrainerTest.data(2).batch(new int[] {0, 1});

    @Test
    void aStepUpdatesTheModelAndCounts() {
        TrainerTest.ScriptedModel m = new TrainerTest.ScriptedModel(0.5);
        Parameters before = m.parameters();
        try (TrainingSession s = m.openTraining(Optimizer.sgd(0.1))) {
            TrainingStep step = s.step(BATCH, null, 0L);
            assertTrue(step.applied());
            assertEquals(0.5, step.loss());
            assertEquals(Math.sqrt(before.zerosLike().asMap().values().stream().mapToInt(Tensor::size).sum()),
                    step.gradientNorm(), 1e-12);
            assertEquals(1, s.updates());
        }
        float[] w0 = before.get("layer0.W").data();
        float[] w = m.params.get("layer0.W").data();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w0[i] - 0.1f, w[i], 0f);
        }
    }

    @Test
    void aNonFiniteLossOrUpdateAppliesNothing() {
        for (Optimizer opt : List.of(Adam.builder().learningRate(0.1).build(), Optimizer.sgd(1e300))) {
            boolean overflow = opt instanceof Sgd;
            TrainerTest.ScriptedModel m = new TrainerTest.ScriptedModel(0.5, overflow ? 0.5 : Double.NaN);
            try (TrainingSession s = m.openTraining(opt)) {
                if (!overflow) {
                    assertTrue(s.step(BATCH, null, 0L).applied());
                }
                Parameters params = m.parameters();
                Parameters slots = s.slots();
                long updates = s.updates();
                TrainingStep step = s.step(BATCH, null, 1L);
                assertFalse(step.applied(), opt.toString());
                assertEquals(updates, s.updates());
                assertSame(params, m.params, "parameters");
                assertSame(slots, s.slots(), "slots");
            }
        }
    }

    @Test
    void applyClipsACopyAndReportsTheNorm() {
        TrainerTest.ScriptedModel m = new TrainerTest.ScriptedModel();
        Parameters g = m.parameters().zerosLike();
        g.get("layer0.W").data()[0] = 3f;
        g.get("head.B").data()[0] = -4f;
        Parameters copy = g.copy();
        try (TrainingSession s = m.openTraining(Sgd.builder().learningRate(1).clipping(Clipping.globalNorm(1))
                .build())) {
            Parameters before = m.parameters();
            assertEquals(5.0, s.apply(g), 1e-12);
            assertSame(copy, g, "the caller's gradients");
            assertEquals(before.get("layer0.W").data()[0] - 0.6f, m.params.get("layer0.W").data()[0], 1e-7);
            g.get("head.B").data()[1] = Float.POSITIVE_INFINITY;
            assertTrue(Double.isNaN(s.apply(g)), "a refused update returns NaN");
            assertEquals(1, s.updates());
            Parameters wrong = Parameters.empty().put("w", Tensor.zeros(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.apply(wrong));
            assertTrue(e.getMessage().contains("the gradients has parameters [w]"), e.getMessage());
        }
    }

    @Test
    void slotsAndUpdatesRestoreAndClosedSessionsRefuse() {
        TrainerTest.ScriptedModel m = new TrainerTest.ScriptedModel(0.5, 0.4, 0.3);
        Optimizer adam = Optimizer.adam(0.01);
        Parameters slots;
        try (TrainingSession s = m.openTraining(adam)) {
            s.step(BATCH, null, 0L);
            s.step(BATCH, null, 1L);
            slots = s.slots();
            assertTrue(slots.names().contains("m/layer0.W") && slots.names().contains("v/head.B"), slots.names()
                    .toString());
        }
        TrainingSession s = m.openTraining(adam);
        s.restore(slots, 2);
        assertEquals(2, s.updates());
        assertSame(slots, s.slots(), "restored slots");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.restore(Parameters.empty(), 2));
        assertTrue(e.getMessage().contains("the saved optimizer state"), e.getMessage());
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.step(BATCH, null, 0L));
        assertThrows(IllegalStateException.class, () -> s.apply(slots));
        assertThrows(IllegalStateException.class, s::updates);
        assertThrows(IllegalStateException.class, s::slots);
        assertThrows(IllegalStateException.class, () -> s.restore(slots, 2));
    }

    @Test
    void stagedUpdatesEqualInPlaceUpdatesBitForBit() {
        LearningRateSchedule sched = LearningRateSchedule.cosine(0.05, 3, 0.01).withWarmup(2);
        for (Optimizer opt : List.of(Sgd.builder().schedule(sched).momentum(0.9).nesterov(true).weightDecay(0.1)
                        .build(), RmsProp.builder().schedule(sched).momentum(0.5).centered(true).weightDecay(0.1)
                        .build(), Adam.builder().schedule(sched).clipping(Clipping.byValue(0.3)).build(),
                io.github.recurra.api.optim.AdamW.builder().schedule(sched).build())) {
            Parameters a = Parameters.empty().put("x", Tensor.of(new float[] {0.3f, -1.2f, 2f}, 3));
            Parameters b = a.copy();
            Parameters into = a.zerosLike();
            OptimizerState inPlace = opt.newState(a);
            OptimizerState staged = opt.newState(a);
            for (int t = 1; t <= 4; t++) {
                float[] g = {0.5f * t, -0.25f, (float) Math.sin(t)};
                inPlace.update(a, Parameters.empty().put("x", Tensor.of(g.clone(), 3)));
                staged.stage(b, Parameters.empty().put("x", Tensor.of(g.clone(), 3)), into);
                if (t == 2) {
                    // a staged update that is not committed changes nothing
                    staged.stage(b, Parameters.empty().put("x", Tensor.of(g.clone(), 3)), into);
                }
                staged.commit();
                Parameters swap = b;
                b = into;
                into = swap;
                assertArrayEquals(a.get("x").data(), b.get("x").data(), 0f, opt + " update " + t);
                assertSame(inPlace.slots(), staged.slots(), opt + " slots after update " + t);
            }
            assertEquals(4, staged.step());
            assertThrows(IllegalStateException.class, staged::commit);
        }
    }

    private static void assertSame(Parameters want, Parameters got, String what) {
        assertEquals(want.names(), got.names(), what);
        for (String n : want.names()) {
            assertArrayEquals(want.get(n).data(), got.get(n).data(), 0f, what + ": " + n);
        }
    }
}
