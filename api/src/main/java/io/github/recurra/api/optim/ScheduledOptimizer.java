package io.github.recurra.api.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * What every optimizer here holds: its learning-rate schedule and its gradient clipping, from its builder, and the
 * value equality they share: two optimizers are equal when they are of the same kind with equal hyper-parameters,
 * schedule and clipping.
 */
abstract sealed class ScheduledOptimizer implements Optimizer permits Sgd, RmsProp, AdamFamily {
    /** The learning rate per update. */
    final LearningRateSchedule schedule;
    /** The clipping before each update. */
    final Clipping clipping;

    ScheduledOptimizer(Optimizer.BaseBuilder<?> builder) {
        this.schedule = builder.schedule;
        this.clipping = builder.clipping;
    }

    @Override
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public final Clipping clipping() {
        return clipping;
    }

    /** @return the kind's own hyper-parameters in a fixed order (flags as 0 or 1), for equality */
    abstract double[] hyperParameters();

    @Override
    public final boolean equals(Object o) {
        return o instanceof ScheduledOptimizer other && other.getClass() == getClass()
                && schedule.equals(other.schedule) && clipping.equals(other.clipping)
                && Arrays.equals(hyperParameters(), other.hyperParameters());
    }

    @Override
    public final int hashCode() {
        return Objects.hash(getClass().getSimpleName(), schedule, clipping, Arrays.hashCode(hyperParameters()));
    }
}
