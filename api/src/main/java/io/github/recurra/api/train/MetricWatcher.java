package io.github.recurra.api.train;

import java.util.Objects;

/**
 * The part the metric-watching callbacks share: the validation metrics are read at each validation scoring, the
 * training metrics at each epoch's end, and each value goes to {@link #scored}.
 */
abstract class MetricWatcher implements TrainingListener {
    /** The watched metric. */
    final Metric metric;

    MetricWatcher(Metric metric) {
        this.metric = Objects.requireNonNull(metric, "metric");
    }

    /**
     * Passes a validation metric on to the callback.
     *
     * @param report  the scoring
     * @param control the run
     */
    @Override
    public final void onValidation(ValidationReport report, TrainingControl control) {
        if (metric.fromValidation()) {
            scored(metric.of(report), report.step(), control);
        }
    }

    /**
     * Passes a training metric (the epoch's mean) on to the callback.
     *
     * @param report  the epoch
     * @param control the run
     */
    @Override
    public final void onEpochEnd(EpochReport report, TrainingControl control) {
        if (!metric.fromValidation()) {
            scored(metric.of(report), report.step(), control);
        }
    }

    /**
     * @param value   the metric's new value
     * @param step    the step it was measured after
     * @param control the run
     */
    abstract void scored(double value, long step, TrainingControl control);
}
