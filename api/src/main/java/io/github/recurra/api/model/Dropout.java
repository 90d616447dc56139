package io.github.recurra.api.model;

import java.util.SplittableRandom;

/**
 * The dropout masks of {@link Network#dropout()}, defined here so that every backend draws the same masks for the
 * same seed and their training losses and gradients can be compared value for value.
 *
 * <p>The mask of one example (row {@code row} of the batch) at the input of layer {@code layer} (≥ 1) is drawn from
 * {@code new SplittableRandom(seed · 0x9E3779B97F4A7C15 + layer · 0x100000001B3 + row)}, step by step and feature by
 * feature ({@code nextDouble()} once per value, time-major): a value is 0 with probability p (when the draw is below
 * p) and 1 / (1 − p) otherwise (inverted dropout).
 */
public final class Dropout {

    private Dropout() {
    }

    /**
     * Fills one example's mask.
     *
     * @param rate     p, in [0, 1)
     * @param seed     the seed of the training step
     * @param layer    the index of the layer whose input is masked
     * @param row      the example's row in the whole batch
     * @param steps    one array per time step; the mask of step t goes to {@code steps[t][offset .. offset + features)}
     * @param offset   where the example's features start in each step's array
     * @param features features per step
     * @throws IllegalArgumentException if the rate is outside [0, 1)
     */
    public static void fill(double rate, long seed, int layer, long row, float[][] steps, int offset, int features) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1) but was " + rate);
        }
        float keep = (float) (1 / (1 - rate));
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + layer * 0x100000001B3L + row);
        for (float[] step : steps) {
            for (int f = 0; f < features; f++) {
                step[offset + f] = r.nextDouble() < rate ? 0f : keep;
            }
        }
    }
}
