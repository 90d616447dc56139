package io.github.recurra.api.cell;

import java.util.Objects;

/**
 * The vanilla (Elman) recurrent cell of the ONNX {@code RNN} operator:
 * <pre>
 *   H_t = f(clip(X_t Wᵀ + H_{t-1} Rᵀ + Wb + Rb))
 * </pre>
 * with f = {@link #activation()} (tanh by default). Immutable; build with {@link #builder(int)} or {@link #of(int)}.
 */
public final class RnnCell implements Cell {
    private final int hiddenSize;
    private final Activation activation;
    private final float clip;

    private RnnCell(Builder b) {
        this.hiddenSize = b.hiddenSize;
        this.activation = b.activation;
        this.clip = b.clip;
    }

    /**
     * @param hiddenSize hidden units
     * @return a tanh RNN cell
     */
    public static RnnCell of(int hiddenSize) {
        return builder(hiddenSize).build();
    }

    /**
     * @param hiddenSize hidden units
     * @return a builder with tanh and no clipping
     */
    public static Builder builder(int hiddenSize) {
        return new Builder(hiddenSize);
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public String kind() {
        return "rnn";
    }

    @Override
    public float clip() {
        return clip;
    }

    /** @return f */
    public Activation activation() {
        return activation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RnnCell && ((RnnCell) o).hiddenSize == hiddenSize
                && ((RnnCell) o).activation.equals(activation) && Float.compare(((RnnCell) o).clip, clip) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hiddenSize, activation, clip);
    }

    @Override
    public String toString() {
        return "RnnCell{hidden=" + hiddenSize + ", activation=" + activation + (hasClip() ? ", clip=" + clip : "")
                + "}";
    }

    /** Builder for {@link RnnCell}; {@link #build()} validates. */
    public static final class Builder {
        private final int hiddenSize;
        private Activation activation = Activation.tanh();
        private float clip = Float.POSITIVE_INFINITY;

        private Builder(int hiddenSize) {
            this.hiddenSize = hiddenSize;
        }

        /**
         * @param activation f, any ONNX activation
         * @return this
         */
        public Builder activation(Activation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /**
         * @param clip threshold for the pre-activation, positive
         * @return this
         */
        public Builder clip(float clip) {
            this.clip = clip;
            return this;
        }

        /** @return the cell */
        public RnnCell build() {
            Cell.checkHidden(hiddenSize);
            Cell.checkClip(clip);
            return new RnnCell(this);
        }
    }
}
