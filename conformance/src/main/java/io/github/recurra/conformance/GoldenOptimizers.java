package io.github.recurra.conformance;

import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.LearningRateSchedule;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;

/** The optimizer, schedule and clipping a golden case describes (fields as {@code optimizers.json} names them). */
final class GoldenOptimizers {

    private GoldenOptimizers() {
    }

    static Optimizer of(Golden g) {
        LearningRateSchedule schedule = schedule(g);
        Clipping clipping = Clipping.none();
        if (g.has("clipValue")) {
            clipping = clipping.andByValue(g.number("clipValue"));
        }
        if (g.has("clipNorm")) {
            clipping = clipping.andGlobalNorm(g.number("clipNorm"));
        }
        switch (g.text("optimizer")) {
            case "sgd":
                return Sgd.builder().schedule(schedule).clipping(clipping).momentum(num(g, "momentum", 0))
                        .dampening(num(g, "dampening", 0)).weightDecay(num(g, "weightDecay", 0))
                        .nesterov(g.flag("nesterov", false)).build();
            case "adam":
                return Adam.builder().schedule(schedule).clipping(clipping).beta1(g.hyper("beta1"))
                        .beta2(g.hyper("beta2")).epsilon(g.hyper("eps")).build();
            case "adamw":
                return AdamW.builder().schedule(schedule).clipping(clipping).beta1(g.hyper("beta1"))
                        .beta2(g.hyper("beta2")).epsilon(g.hyper("eps")).weightDecay(g.hyper("weightDecay")).build();
            case "rmsprop":
                return RmsProp.builder().schedule(schedule).clipping(clipping).alpha(g.hyper("alpha"))
                        .epsilon(g.hyper("eps")).momentum(num(g, "momentum", 0)).centered(g.flag("centered", false))
                        .weightDecay(num(g, "weightDecay", 0)).build();
            default:
                throw new IllegalArgumentException("unknown optimizer '" + g.text("optimizer") + "' in " + g);
        }
    }

    /** The learning-rate schedule of a case: constant {@code lr}, or its {@code schedule} object. */
    static LearningRateSchedule schedule(Golden g) {
        double lr = g.hyper("lr");
        if (!g.has("schedule")) {
            return LearningRateSchedule.constant(lr);
        }
        Golden s = g.object("schedule");
        switch (s.text("kind")) {
            case "step":
                return LearningRateSchedule.step(lr, s.integer("every"), s.number("gamma"));
            case "exponential":
                return LearningRateSchedule.exponential(lr, s.number("gamma"));
            case "cosine":
                return LearningRateSchedule.cosine(lr, s.integer("total"), s.number("min"));
            case "warmup":
                return LearningRateSchedule.constant(lr).withWarmup(s.integer("steps"));
            default:
                throw new IllegalArgumentException("unknown schedule '" + s.text("kind") + "' in " + g);
        }
    }

    private static double num(Golden g, String key, double otherwise) {
        return g.has(key) ? g.hyper(key) : otherwise;
    }
}
