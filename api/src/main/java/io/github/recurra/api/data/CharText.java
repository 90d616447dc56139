package io.github.recurra.api.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A character-level language-modelling dataset: a text cut into windows of {@code window} characters, each
 * character one-hot over the text's vocabulary (its distinct characters, sorted), and at every step the next
 * character as the class to predict ({@link Dataset.TargetKind#CLASS_PER_STEP}).
 */
public final class CharText {
    private final char[] vocabulary;
    private final Dataset dataset;

    /** The most one-hot input values (examples × window × vocabulary) {@link #of} builds. */
    public static final long MAX_INPUT_ELEMENTS = Integer.MAX_VALUE - 8;

    private CharText(char[] vocabulary, Dataset dataset) {
        this.vocabulary = vocabulary;
        this.dataset = dataset;
    }

    /**
     * @param text   the corpus, with at least two distinct characters and more than {@code window} characters
     * @param window characters per example, at least 1
     * @param stride characters between the starts of consecutive windows, at least 1 ({@code window} for
     *               non-overlapping windows)
     * @return the dataset and its vocabulary
     * @throws IllegalArgumentException if window or stride is below 1, the text is too short or has one distinct
     *     character, or the one-hot inputs would exceed {@link #MAX_INPUT_ELEMENTS} values
     */
    public static CharText of(String text, int window, int stride) {
        Objects.requireNonNull(text, "text");
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("window and stride must be at least 1 but were " + window + " and "
                    + stride);
        }
        if (text.length() <= window) {
            throw new IllegalArgumentException("the text has " + text.length() + " characters; a window of " + window
                    + " needs at least " + (window + 1) + " (one more for the last target)");
        }
        TreeSet<Character> set = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            set.add(text.charAt(i));
        }
        if (set.size() < 2) {
            throw new IllegalArgumentException("the text has " + set.size() + " distinct character(s); at least 2 are "
                    + "needed to predict anything");
        }
        char[] vocab = new char[set.size()];
        int v = 0;
        for (char c : set) {
            vocab[v++] = c;
        }
        int n = (text.length() - 1 - window) / stride + 1;
        long elements = (long) n * window * vocab.length;
        if (elements > MAX_INPUT_ELEMENTS) {
            throw new IllegalArgumentException("the text makes " + n + " windows of " + window + " characters over a "
                    + "vocabulary of " + vocab.length + ": " + elements + " one-hot input values, more than the "
                    + MAX_INPUT_ELEMENTS + " an array holds; use a larger stride, a shorter window or less text");
        }
        float[] x = new float[(int) elements];
        int[] y = new int[n * window];
        for (int i = 0; i < n; i++) {
            int start = i * stride;
            for (int t = 0; t < window; t++) {
                x[(i * window + t) * vocab.length + Arrays.binarySearch(vocab, text.charAt(start + t))] = 1f;
                y[i * window + t] = Arrays.binarySearch(vocab, text.charAt(start + t + 1));
            }
        }
        return new CharText(vocab, Dataset.builder(window, vocab.length).inputs(x).stepLabels(y, vocab.length)
                .build());
    }

    /** @return the examples */
    public Dataset dataset() {
        return dataset;
    }

    /** @return the distinct characters, sorted; class i is character i */
    public char[] vocabulary() {
        return vocabulary.clone();
    }

    /**
     * @param c a character
     * @return its class
     * @throws IllegalArgumentException if the text did not contain it
     */
    public int encode(char c) {
        int i = Arrays.binarySearch(vocabulary, c);
        if (i < 0) {
            throw new IllegalArgumentException("character '" + c + "' is not in the vocabulary "
                    + new String(vocabulary));
        }
        return i;
    }

    /**
     * @param cls a class
     * @return its character
     */
    public char decode(int cls) {
        if (cls < 0 || cls >= vocabulary.length) {
            throw new IllegalArgumentException("class " + cls + " is outside [0, " + vocabulary.length + ")");
        }
        return vocabulary[cls];
    }
}
