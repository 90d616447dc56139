package io.github.recurra.examples.forecast;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.Streaming;
import io.github.recurra.api.tensor.Tensor;
import java.util.Objects;

/**
 * A next-step forecaster of one series: a recurrent network that reads, at every step t, three features (the
 * series' value at t, or its change since t − 1, standardised with the mean and standard deviation of the training
 * part only; and the sine and cosine of the time of year, {@link Cadence#phase}) and predicts the standardised value
 * (or change) at t + 1. It is trained with a loss at every step on windows of {@code warmUp + heldOut} steps cut
 * from the training part, as long as the runs it makes at forecast time: {@code warmUp} steps of true history,
 * then the held-out period.
 *
 * <p>Two ways to forecast the held-out period, which starts at index {@code trainEnd}:
 * <ul>
 *   <li>{@link #oneStep}: each value from the true history before it (the network runs once over the true series
 *   from {@code trainEnd − warmUp}, its output at each step is the forecast of the next);</li>
 *   <li>{@link #multiStep}: from the end of the training part only. The network is streamed
 *   ({@link Model#openStream}) over the last {@code warmUp} true steps, then fed its own forecast as the next step's
 *   input, one step at a time, to the end of the held-out period. The calendar features stay known.</li>
 * </ul>
 * With {@link Transform#DIFFERENCE} a forecast change is added to the previous value (the true one for one-step
 * forecasts, the previous forecast for multi-step ones): the network forecasts how the series moves, the sum turns
 * that into levels, so a trend the network has learnt from the recent changes carries on past the training range.
 */
public final class Forecaster {

    /** Features per step: the standardised value or change, sin and cos of the time of year. */
    public static final int FEATURES = 3;

    /** What the network reads and predicts. */
    public enum Transform {
        /** The values themselves (for a series without trend, such as daily temperatures). */
        LEVEL,
        /** The change from one step to the next (for a trending series, such as CO2). */
        DIFFERENCE
    }

    private final Series series;
    private final int trainEnd;
    private final int warmUp;
    private final Transform transform;
    private final double[] values;
    private final double mean;
    private final double std;
    /** Per step t ≥ first(): the standardised value or change at t. */
    private final double[] z;
    private final double[] sin;
    private final double[] cos;

    /**
     * @param series    the whole series
     * @param trainEnd  index of the first held-out value; the values before it are the training part
     * @param warmUp    steps of true history the network reads before its first forecast, at least 1
     * @param transform what the network reads and predicts
     * @throws IllegalArgumentException if the training part is too short for one window of
     *     {@code warmUp + heldOut} steps, or nothing is held out
     */
    public Forecaster(Series series, int trainEnd, int warmUp, Transform transform) {
        this.series = Objects.requireNonNull(series, "series");
        this.transform = Objects.requireNonNull(transform, "transform");
        this.trainEnd = trainEnd;
        this.warmUp = warmUp;
        this.values = series.values();
        int n = values.length;
        if (warmUp < 1) {
            throw new IllegalArgumentException("the warm-up must be at least 1 step but was " + warmUp);
        }
        if (trainEnd >= n || trainEnd < 1) {
            throw new IllegalArgumentException("the held-out part must start inside the series of " + n + " values "
                    + "but starts at index " + trainEnd);
        }
        int lastStart = trainEnd - 1 - window();
        if (lastStart < first()) {
            throw new IllegalArgumentException("the training part has " + trainEnd + " " + series.cadence().steps()
                    + ", too few for one training window of " + window() + " (a warm-up of " + warmUp + " plus the "
                    + heldOut() + " held out) and the target after it; hold out less or shorten the warm-up");
        }
        double[] raw = new double[n];
        for (int t = first(); t < n; t++) {
            raw[t] = transform == Transform.DIFFERENCE ? values[t] - values[t - 1] : values[t];
        }
        double s = 0;
        for (int t = first(); t < trainEnd; t++) {
            s += raw[t];
        }
        this.mean = s / (trainEnd - first());
        double q = 0;
        for (int t = first(); t < trainEnd; t++) {
            q += (raw[t] - mean) * (raw[t] - mean);
        }
        double sd = Math.sqrt(q / (trainEnd - first()));
        this.std = sd > 0 ? sd : 1;
        this.z = new double[n];
        this.sin = new double[n];
        this.cos = new double[n];
        for (int t = 0; t < n; t++) {
            z[t] = t < first() ? 0 : (raw[t] - mean) / std;
            double a = 2 * Math.PI * series.cadence().phase(series.dates().get(t));
            sin[t] = Math.sin(a);
            cos[t] = Math.cos(a);
        }
    }

    /** @return the series */
    public Series series() {
        return series;
    }

    /** @return index of the first held-out value */
    public int trainEnd() {
        return trainEnd;
    }

    /** @return how many values are held out (and forecast) */
    public int heldOut() {
        return values.length - trainEnd;
    }

    /** @return steps of true history read before the first forecast */
    public int warmUp() {
        return warmUp;
    }

    /** @return steps per training window: warm-up plus held out */
    public int window() {
        return warmUp + heldOut();
    }

    /** @return what the network reads and predicts */
    public Transform transform() {
        return transform;
    }

    /** The first index with a feature: 1 for differences (the first value has no change before it), else 0. */
    private int first() {
        return transform == Transform.DIFFERENCE ? 1 : 0;
    }

    /**
     * The network: one forward layer of {@code cell} returning every step, and a linear head to one value per step,
     * trained by mean squared error.
     *
     * @param cell the recurrent cell
     * @return the network spec
     */
    public static Network network(Cell cell) {
        return Network.builder(FEATURES).layer(Sequence.builder(cell).returnSequences(true).build())
                .head(Head.of(1, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
    }

    /**
     * Training windows: every {@code stride}-th start in the training part, each {@link #window()} steps of features
     * with the standardised next value (or change) as the target of every step. No target lies in the held-out part.
     *
     * @param stride steps between the starts of consecutive windows, at least 1
     * @return the windows, in time order
     */
    public Dataset trainingSet(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("the stride must be at least 1 but was " + stride);
        }
        int length = window();
        int count = (trainEnd - 1 - length - first()) / stride + 1;
        float[] x = new float[count * length * FEATURES];
        float[] y = new float[count * length];
        for (int e = 0; e < count; e++) {
            int start = first() + e * stride;
            for (int k = 0; k < length; k++) {
                int t = start + k;
                int at = (e * length + k) * FEATURES;
                x[at] = (float) z[t];
                x[at + 1] = (float) sin[t];
                x[at + 2] = (float) cos[t];
                y[e * length + k] = (float) z[t + 1];
            }
        }
        return Dataset.builder(length, FEATURES).inputs(x).stepTargets(y, 1).build();
    }

    /**
     * One-step-ahead forecasts of the held-out values: one forward pass over the true features from
     * {@code trainEnd − warmUp} to the second-to-last value; the output at each step, turned back into the data's
     * units, forecasts the next value.
     *
     * @param model a model of {@link #network} (any backend that infers)
     * @return the forecasts of {@code values[trainEnd ..]}, in the data's units
     */
    public double[] oneStep(Model model) {
        int from = trainEnd - warmUp;
        int steps = warmUp + heldOut() - 1;
        float[] x = new float[steps * FEATURES];
        for (int k = 0; k < steps; k++) {
            put(x, k, z[from + k], from + k);
        }
        float[] out = model.forward(Tensor.of(x, 1, steps, FEATURES)).predictions().data();
        double[] f = new double[heldOut()];
        for (int k = 0; k < f.length; k++) {
            f[k] = level(out[warmUp - 1 + k], values[trainEnd + k - 1]);
        }
        return f;
    }

    /**
     * Multi-step forecasts of the held-out values from the end of the training part, by streaming: the last
     * {@code warmUp} true steps of the training part in one chunk, then one step at a time, each fed the forecast
     * the step before produced (or, with {@code teacherForced}, the true value: then the forecasts equal
     * {@link #oneStep}'s, which checks that the stream carries the state exactly).
     *
     * @param model         a model of {@link #network} whose backend can stream
     * @param teacherForced feed the true values instead of the forecasts
     * @return the forecasts of {@code values[trainEnd ..]}, in the data's units
     */
    public double[] multiStep(Model model, boolean teacherForced) {
        double[] f = new double[heldOut()];
        try (Streaming stream = model.openStream(1)) {
            int from = trainEnd - warmUp;
            float[] x = new float[warmUp * FEATURES];
            for (int k = 0; k < warmUp; k++) {
                put(x, k, z[from + k], from + k);
            }
            double next = last(stream.feed(Tensor.of(x, 1, warmUp, FEATURES)));
            double previous = values[trainEnd - 1];
            float[] one = new float[FEATURES];
            for (int k = 0; ; k++) {
                int t = trainEnd + k;
                f[k] = level(next, teacherForced ? values[t - 1] : previous);
                previous = f[k];
                if (k == f.length - 1) {
                    break;
                }
                put(one, 0, teacherForced ? z[t] : next, t);
                next = last(stream.feed(Tensor.of(one, 1, 1, FEATURES)));
            }
        }
        return f;
    }

    private void put(float[] x, int step, double value, int t) {
        x[step * FEATURES] = (float) value;
        x[step * FEATURES + 1] = (float) sin[t];
        x[step * FEATURES + 2] = (float) cos[t];
    }

    private static double last(Forward f) {
        float[] p = f.predictions().data();
        return p[p.length - 1];
    }

    /** A standardised network output back in the data's units, given the value before it. */
    private double level(double output, double previous) {
        double raw = output * std + mean;
        return transform == Transform.DIFFERENCE ? previous + raw : raw;
    }
}
