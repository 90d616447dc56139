package io.github.recurra.tensorflow;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link SavedModelExport} writes a network. Immutable; build with {@link #builder(int)}. The graph is unrolled
 * statically over {@link #timeSteps()} steps, so the model serves sequences of exactly that many steps: pad shorter
 * ones (any values) and give their true lengths through the {@code lengths} input.
 *
 * @param timeSteps     T, the steps every served sequence has, 1 to {@value #MAX_TIME_STEPS}
 * @param lengths       whether the signature takes an int32 {@code lengths [batch]} input (each sequence's valid steps,
 *                      1 to T; the masks are computed in the graph)
 * @param initialStates whether the signature takes every layer's initial states {@code h_0_<k>} (and {@code c_0_<k>}
 *                      for an LSTM) as inputs; without them the states start at zeros computed in the graph from the
 *                      batch size. TensorFlow Java's {@code SessionFunction.call} requires every input a signature
 *                      declares; in the graph they are {@code PlaceholderWithDefault}s of those zeros, so a client
 *                      that feeds tensors by name ({@code Session.runner()}) may leave them out
 * @param signatureKey  the serving signature's key, default {@value #DEFAULT_SIGNATURE_KEY}
 * @param tags          the meta graph's tags, default {@value #DEFAULT_TAG}; {@code SavedModelBundle.load} and
 *                      TensorFlow Serving select the graph by them
 */
public record SavedModelExportOptions(int timeSteps, boolean lengths, boolean initialStates, String signatureKey,
        List<String> tags) {

    /** The longest sequence a graph is unrolled for: the graph grows linearly with the steps. */
    public static final int MAX_TIME_STEPS = 1024;
    /** The default signature key, the one TensorFlow Serving and {@code saved_model_cli} use when none is named. */
    public static final String DEFAULT_SIGNATURE_KEY = "serving_default";
    /** The default tag, TensorFlow's tag of serving graphs. */
    public static final String DEFAULT_TAG = "serve";
    /** The key of the second signature, which returns the provenance strings (see {@link SavedModelExport}). */
    public static final String METADATA_SIGNATURE_KEY = "recurra_metadata";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-/]+");

    /**
     * Validates.
     *
     * @param timeSteps     T, the steps every served sequence has, 1 to {@value #MAX_TIME_STEPS}
     * @param lengths       whether the signature takes an int32 {@code lengths [batch]} input (each sequence's valid
     *                      steps, 1 to T; the masks are computed in the graph)
     * @param initialStates whether the signature takes every layer's initial states {@code h_0_<k>} (and {@code
     *                      c_0_<k>} for an LSTM) as inputs; without them the states start at zeros computed in the
     *                      graph from the batch size. TensorFlow Java's {@code SessionFunction.call} requires every
     *                      input a signature declares; in the graph they are {@code PlaceholderWithDefault}s of those
     *                      zeros, so a client that feeds tensors by name ({@code Session.runner()}) may leave them out
     * @param signatureKey  the serving signature's key, default {@value #DEFAULT_SIGNATURE_KEY}
     * @param tags          the meta graph's tags, default {@value #DEFAULT_TAG}; {@code SavedModelBundle.load} and
     *                      TensorFlow Serving select the graph by them
     * @throws IllegalArgumentException naming the offending value
     */
    public SavedModelExportOptions {
        if (timeSteps < 1 || timeSteps > MAX_TIME_STEPS) {
            throw new IllegalArgumentException("time steps must be between 1 and " + MAX_TIME_STEPS + " but was "
                    + timeSteps + "; the graph is unrolled for exactly this many steps, so give the longest sequence "
                    + "the model will serve and pad shorter ones with their lengths");
        }
        Objects.requireNonNull(signatureKey, "signatureKey");
        if (!NAME.matcher(signatureKey).matches()) {
            throw new IllegalArgumentException("signature key '" + signatureKey + "' must be a non-empty name of "
                    + "letters, digits and _ . - / (the default is " + DEFAULT_SIGNATURE_KEY + ")");
        }
        if (signatureKey.equals(METADATA_SIGNATURE_KEY)) {
            throw new IllegalArgumentException("signature key '" + signatureKey + "' is the key of the metadata "
                    + "signature every export writes; choose another (the default is " + DEFAULT_SIGNATURE_KEY + ")");
        }
        Objects.requireNonNull(tags, "tags");
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("a SavedModel needs at least one tag to load by; the default is "
                    + DEFAULT_TAG);
        }
        for (String t : tags) {
            if (!NAME.matcher(t).matches()) {
                throw new IllegalArgumentException("tag '" + t + "' must be a non-empty name of letters, digits and "
                        + "_ . - / (the default is " + DEFAULT_TAG + ")");
            }
        }
        if (tags.stream().distinct().count() != tags.size()) {
            throw new IllegalArgumentException("tags " + tags + " name one tag twice");
        }
    }

    /**
     * @param timeSteps T (required: the graph is unrolled for it)
     * @return a builder with the defaults: no lengths input, no initial-state inputs, key
     *     {@value #DEFAULT_SIGNATURE_KEY}, tag {@value #DEFAULT_TAG}
     */
    public static Builder builder(int timeSteps) {
        return new Builder(timeSteps);
    }

    /** Builder for {@link SavedModelExportOptions}; {@link #build()} validates. */
    public static final class Builder {
        private final int timeSteps;
        private boolean lengths;
        private boolean initialStates;
        private String signatureKey = DEFAULT_SIGNATURE_KEY;
        private List<String> tags = List.of(DEFAULT_TAG);

        private Builder(int timeSteps) {
            this.timeSteps = timeSteps;
        }

        /**
         * @param on whether the signature takes an int32 {@code lengths [batch]} input (default false: every sequence
         *           has T valid steps)
         * @return this
         */
        public Builder lengths(boolean on) {
            this.lengths = on;
            return this;
        }

        /**
         * @param on whether the signature takes initial states (default false: zeros computed in the graph)
         * @return this
         */
        public Builder initialStates(boolean on) {
            this.initialStates = on;
            return this;
        }

        /**
         * @param key the serving signature's key (default {@value SavedModelExportOptions#DEFAULT_SIGNATURE_KEY})
         * @return this
         */
        public Builder signatureKey(String key) {
            this.signatureKey = key;
            return this;
        }

        /**
         * @param tags the meta graph's tags (default {@value SavedModelExportOptions#DEFAULT_TAG})
         * @return this
         */
        public Builder tags(String... tags) {
            this.tags = List.of(tags);
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the offending value
         */
        public SavedModelExportOptions build() {
            return new SavedModelExportOptions(timeSteps, lengths, initialStates, signatureKey, tags);
        }
    }
}
