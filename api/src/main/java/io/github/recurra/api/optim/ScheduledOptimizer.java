package io.github.recurra.api.optim;

/** What every optimizer here holds: its learning-rate schedule and its gradient clipping, from its builder. */
abstract class ScheduledOptimizer implements Optimizer {
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
}
