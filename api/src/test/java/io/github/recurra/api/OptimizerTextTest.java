package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.LearningRateSchedule;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerText;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimizers, schedules and clipping have value equality and round-trip through their text. */
class OptimizerTextTest {
    static final List<LearningRateSchedule> SCHEDULES = List.of(LearningRateSchedule.constant(0.1),
            LearningRateSchedule.step(0.1, 3, 0.5), LearningRateSchedule.exponential(0.2, 0.9),
            LearningRateSchedule.cosine(1.0, 4, 0.2), LearningRateSchedule.cosine(0.3, 100, 0.0).withWarmup(7),
            LearningRateSchedule.constant(1e-3).withWarmup(2).withWarmup(3));
    static final List<Clipping> CLIPPINGS = List.of(Clipping.none(), Clipping.byValue(1.5), Clipping.globalNorm(5),
            Clipping.byValue(0.25).andGlobalNorm(1e-3));

    static List<Optimizer> optimizers() {
        List<Optimizer> all = new java.util.ArrayList<>();
        for (LearningRateSchedule s : SCHEDULES) {
            for (Clipping c : CLIPPINGS) {
                all.add(Sgd.builder().schedule(s).clipping(c).build());
                all.add(Sgd.builder().schedule(s).clipping(c).momentum(0.9).nesterov(true).weightDecay(1e-4).build());
                all.add(Sgd.builder().schedule(s).clipping(c).momentum(0.5).dampening(0.1).build());
                all.add(RmsProp.builder().schedule(s).clipping(c).build());
                all.add(RmsProp.builder().schedule(s).clipping(c).alpha(0.9).epsilon(1e-6).momentum(0.3)
                        .centered(true).weightDecay(0.01).build());
                all.add(Adam.builder().schedule(s).clipping(c).beta1(0.8).beta2(0.99).epsilon(1e-7).build());
                all.add(AdamW.builder().schedule(s).clipping(c).weightDecay(0.1).build());
            }
        }
        return all;
    }

    @Test
    void everyOptimizerScheduleAndClippingRoundTrips() {
        for (Optimizer o : optimizers()) {
            String text = OptimizerText.write(o);
            Optimizer back = OptimizerText.parse(text);
            assertEquals(o, back, text);
            assertEquals(o.hashCode(), back.hashCode(), text);
            assertEquals(text, OptimizerText.write(back));
            assertEquals(o.toString(), back.toString());
        }
        for (LearningRateSchedule s : SCHEDULES) {
            assertEquals(s, OptimizerText.parseSchedule(OptimizerText.write(s)));
        }
    }

    @Test
    void equalSettingsAreEqualAndAnyDifferenceIsNot() {
        LearningRateSchedule warm = LearningRateSchedule.cosine(0.1, 50, 0.0).withWarmup(5);
        Adam a = Adam.builder().schedule(warm).clipping(Clipping.globalNorm(1)).build();
        Adam b = Adam.builder().schedule(LearningRateSchedule.cosine(0.1, 50, 0.0).withWarmup(5))
                .clipping(Clipping.globalNorm(1)).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Adam.builder().schedule(warm).clipping(Clipping.globalNorm(2)).build());
        assertNotEquals(a, Adam.builder().schedule(warm).clipping(Clipping.globalNorm(1)).beta2(0.99).build());
        assertNotEquals(a, Adam.builder().schedule(warm.withWarmup(2)).clipping(Clipping.globalNorm(1)).build());
        assertNotEquals(Optimizer.adam(0.001), AdamW.builder().weightDecay(0).build(), "Adam is not AdamW");
        assertNotEquals(Sgd.builder().momentum(0.9).build(), Sgd.builder().momentum(0.9).nesterov(true).build());
        assertEquals(Clipping.byValue(2).andGlobalNorm(3), Clipping.globalNorm(3).andByValue(2));
    }

    @Test
    void badTextIsRejectedWithWhatIsWrong() {
        String good = OptimizerText.write(Optimizer.adam(0.01));
        assertMessage("unknown optimizer kind 'lion'", () -> OptimizerText.parse(good.replace("adam", "lion")));
        assertMessage("key 'beta2' is missing", () -> OptimizerText.parse(good.replaceAll(" beta2=\\S+", "")));
        assertMessage("unknown keys [momentum]", () -> OptimizerText.parse(good + " momentum=0.9"));
        assertMessage("appears twice", () -> OptimizerText.parse(good + " beta1=0.9"));
        assertMessage("'beta1' must be a number but was 'x'",
                () -> OptimizerText.parse(good.replaceAll("beta1=\\S+", "beta1=x")));
        assertMessage("beta1 must be in [0, 1) but was 1.5",
                () -> OptimizerText.parse(good.replaceAll("beta1=\\S+", "beta1=1.5")));
        assertMessage("is not key=value", () -> OptimizerText.parse("adam beta1"));
        assertMessage("unknown schedule kind 'linear'", () -> OptimizerText.parseSchedule("linear:0.1"));
        assertMessage("ends where the schedule kind was expected", () -> OptimizerText.parseSchedule("warmup:4"));
        assertMessage("unexpected trailing part '9'", () -> OptimizerText.parseSchedule("constant:0.1:9"));
        assertMessage("'every' must be an integer", () -> OptimizerText.parseSchedule("step:0.1:x:0.5"));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
