package io.github.recurra.api.data;

import java.util.SplittableRandom;

/**
 * The classic synthetic tasks for recurrent networks, generated from a seed (the same seed gives the same data).
 */
public final class Synthetic {

    private Synthetic() {
    }

    /**
     * The adding problem (Hochreiter &amp; Schmidhuber 1997): each step has two features, a value drawn uniformly
     * from [0, 1) and a marker that is 1 at exactly two steps (one in each half of the sequence) and 0 elsewhere; the
     * target is the sum of the two marked values. A last-step regression task ({@link Dataset.TargetKind#VALUES}, one
     * output); always predicting 1 scores a mean squared error of about 0.167.
     *
     * @param examples  number of sequences
     * @param timeSteps steps per sequence, at least 2
     * @param seed      the seed
     * @return the dataset
     */
    public static Dataset adding(int examples, int timeSteps, long seed) {
        check(examples, timeSteps, 2);
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[examples * timeSteps * 2];
        float[] y = new float[examples];
        int half = timeSteps / 2;
        for (int i = 0; i < examples; i++) {
            int a = r.nextInt(half);
            int b = half + r.nextInt(timeSteps - half);
            for (int t = 0; t < timeSteps; t++) {
                int o = (i * timeSteps + t) * 2;
                x[o] = (float) r.nextDouble();
                x[o + 1] = t == a || t == b ? 1f : 0f;
            }
            y[i] = x[(i * timeSteps + a) * 2] + x[(i * timeSteps + b) * 2];
        }
        return Dataset.builder(timeSteps, 2).inputs(x).targets(y, 1).build();
    }

    /**
     * The copy-memory task (Arjovsky et al. 2016): a sequence starts with {@code length} symbols from
     * {@code symbols} (classes 1 .. symbols), then blanks (class 0), a delimiter (class symbols + 1) at step
     * {@code length + delay − 1}, and blanks; the network must output blanks until the delimiter and then repeat the
     * first {@code length} symbols. Inputs are one-hot over symbols + 2 classes; targets are per-step classes
     * ({@link Dataset.TargetKind#CLASS_PER_STEP}). Steps per sequence: {@code delay + 2 · length}.
     *
     * @param examples number of sequences
     * @param symbols  distinct symbols, at least 1
     * @param length   symbols to remember, at least 1
     * @param delay    steps between the end of the symbols and the start of the answer, at least 1
     * @param seed     the seed
     * @return the dataset
     */
    public static Dataset copyMemory(int examples, int symbols, int length, int delay, long seed) {
        if (symbols < 1 || length < 1 || delay < 1) {
            throw new IllegalArgumentException("copy memory needs symbols, length and delay of at least 1 but was "
                    + symbols + ", " + length + ", " + delay);
        }
        int t = delay + 2 * length;
        check(examples, t, 1);
        int classes = symbols + 2;
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[examples * t * classes];
        int[] y = new int[examples * t];
        for (int i = 0; i < examples; i++) {
            int[] seq = new int[length];
            for (int j = 0; j < length; j++) {
                seq[j] = 1 + r.nextInt(symbols);
            }
            for (int s = 0; s < t; s++) {
                int in;
                if (s < length) {
                    in = seq[s];
                } else if (s == length + delay - 1) {
                    in = symbols + 1;
                } else {
                    in = 0;
                }
                x[(i * t + s) * classes + in] = 1f;
                y[i * t + s] = s >= length + delay ? seq[s - length - delay] : 0;
            }
        }
        return Dataset.builder(t, classes).inputs(x).stepLabels(y, classes).build();
    }

    /**
     * Noisy sine waves: each sequence is sin(ω t + φ) + noise with a random frequency ω in [0.1, 0.5) and phase φ; at
     * every step the network sees the noisy value and predicts the next clean value
     * ({@link Dataset.TargetKind#VALUES_PER_STEP}, one output).
     *
     * @param examples  number of sequences
     * @param timeSteps steps per sequence
     * @param noise     standard deviation of the Gaussian noise, at least 0
     * @param seed      the seed
     * @return the dataset
     */
    public static Dataset noisySine(int examples, int timeSteps, double noise, long seed) {
        check(examples, timeSteps, 1);
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("noise must be at least 0 but was " + noise);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[examples * timeSteps];
        float[] y = new float[examples * timeSteps];
        for (int i = 0; i < examples; i++) {
            double w = 0.1 + 0.4 * r.nextDouble();
            double phase = 2 * Math.PI * r.nextDouble();
            for (int t = 0; t < timeSteps; t++) {
                x[i * timeSteps + t] = (float) (Math.sin(w * t + phase) + noise * io.github.recurra.api.param
                        .Initializer.gaussian(r));
                y[i * timeSteps + t] = (float) Math.sin(w * (t + 1) + phase);
            }
        }
        return Dataset.builder(timeSteps, 1).inputs(x).stepTargets(y, 1).build();
    }

    private static void check(int examples, int timeSteps, int minSteps) {
        if (examples < 1) {
            throw new IllegalArgumentException("a synthetic dataset needs at least 1 example but was asked for "
                    + examples);
        }
        if (timeSteps < minSteps) {
            throw new IllegalArgumentException("this task needs at least " + minSteps + " steps but was asked for "
                    + timeSteps);
        }
    }
}
