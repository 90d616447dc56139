package io.github.recurra.onnx;

/**
 * What an exported graph contains beyond the input and the head. Immutable; build with {@link #builder()}. The
 * defaults suit deployment: opset {@value #DEFAULT_OPSET}; inputs {@code input} only; outputs {@code logits} and, for
 * a classifier, {@code probabilities} (or {@code output} for a network without a head).
 *
 * @param opset          the {@code ai.onnx} opset version, {@value #MIN_OPSET} to {@value #MAX_OPSET}
 * @param sequenceLengths whether the graph takes a {@link OnnxNames#SEQUENCE_LENS} input
 * @param initialStates  whether the graph takes {@link OnnxNames#initialH}/{@link OnnxNames#initialC} inputs
 * @param finalStates    whether the graph returns {@link OnnxNames#finalH}/{@link OnnxNames#finalC} outputs
 * @param output         whether the graph returns the last recurrent layer's {@link OnnxNames#OUTPUT} even when the
 *                       network has a head (always returned without a head)
 * @param probabilities  whether a classifier head also returns {@link OnnxNames#PROBABILITIES}
 */
public record OnnxExportOptions(int opset, boolean sequenceLengths, boolean initialStates, boolean finalStates,
        boolean output, boolean probabilities) {

    /**
     * The lowest opset written: every operator the exporter uses has had its present meaning since opset 11 (negative
     * {@code Gather} indices, {@code GatherElements}, a {@code Gemm} with optional C).
     */
    public static final int MIN_OPSET = 11;
    /** The highest opset written, the newest Debian's onnx checker (1.12) knows. */
    public static final int MAX_OPSET = 17;
    /** The default: the lowest that carries everything, so that older runtimes load the files. */
    public static final int DEFAULT_OPSET = MIN_OPSET;

    /**
     * Validates.
     *
     * @param opset           the {@code ai.onnx} opset version, {@value #MIN_OPSET} to {@value #MAX_OPSET}
     * @param sequenceLengths whether the graph takes a {@link OnnxNames#SEQUENCE_LENS} input
     * @param initialStates   whether the graph takes {@link OnnxNames#initialH}/{@link OnnxNames#initialC} inputs
     * @param finalStates     whether the graph returns {@link OnnxNames#finalH}/{@link OnnxNames#finalC} outputs
     * @param output          whether the graph returns the last recurrent layer's {@link OnnxNames#OUTPUT} even when
     *                        the network has a head (always returned without a head)
     * @param probabilities   whether a classifier head also returns {@link OnnxNames#PROBABILITIES}
     */
    public OnnxExportOptions {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("ONNX opset must be between " + MIN_OPSET + " and " + MAX_OPSET
                    + " but was " + opset + "; the default " + DEFAULT_OPSET + " loads in the most runtimes");
        }
    }

    /** @return the defaults */
    public static OnnxExportOptions defaults() {
        return builder().build();
    }

    /** @return everything on: lengths and initial states in, final states and the output sequence out */
    public static OnnxExportOptions everything() {
        return builder().sequenceLengths(true).initialStates(true).finalStates(true).output(true).build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.opset = opset;
        b.sequenceLengths = sequenceLengths;
        b.initialStates = initialStates;
        b.finalStates = finalStates;
        b.output = output;
        b.probabilities = probabilities;
        return b;
    }

    /** Builder for {@link OnnxExportOptions}; {@link #build()} validates. */
    public static final class Builder {
        private int opset = DEFAULT_OPSET;
        private boolean sequenceLengths;
        private boolean initialStates;
        private boolean finalStates;
        private boolean output;
        private boolean probabilities = true;

        private Builder() {
        }

        /**
         * @param opset {@value OnnxExportOptions#MIN_OPSET} to {@value OnnxExportOptions#MAX_OPSET} (default
         *              {@value OnnxExportOptions#DEFAULT_OPSET})
         * @return this
         */
        public Builder opset(int opset) {
            this.opset = opset;
            return this;
        }

        /**
         * @param on whether the graph takes per-example lengths (default false)
         * @return this
         */
        public Builder sequenceLengths(boolean on) {
            this.sequenceLengths = on;
            return this;
        }

        /**
         * @param on whether the graph takes every layer's initial states (default false: zeros)
         * @return this
         */
        public Builder initialStates(boolean on) {
            this.initialStates = on;
            return this;
        }

        /**
         * @param on whether the graph returns every layer's final states (default false)
         * @return this
         */
        public Builder finalStates(boolean on) {
            this.finalStates = on;
            return this;
        }

        /**
         * @param on whether the graph returns the last layer's output besides the head's (default false)
         * @return this
         */
        public Builder output(boolean on) {
            this.output = on;
            return this;
        }

        /**
         * @param on whether a classifier also returns softmax probabilities (default true)
         * @return this
         */
        public Builder probabilities(boolean on) {
            this.probabilities = on;
            return this;
        }

        /** @return the options */
        public OnnxExportOptions build() {
            return new OnnxExportOptions(opset, sequenceLengths, initialStates, finalStates, output, probabilities);
        }
    }
}
