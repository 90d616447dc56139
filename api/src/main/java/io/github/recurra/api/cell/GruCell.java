package io.github.recurra.api.cell;

import java.util.Objects;

/**
 * The gated recurrent unit of the ONNX {@code GRU} operator. With gate blocks in the order z, r, h,
 * f = {@link #gateActivation()} (sigmoid) and g = {@link #candidateActivation()} (tanh):
 * <pre>
 *   z = f(clip(X W_zᵀ + H_{t-1} R_zᵀ + Wb_z + Rb_z))
 *   r = f(clip(X W_rᵀ + H_{t-1} R_rᵀ + Wb_r + Rb_r))
 *   linearBeforeReset = false: h = g(clip(X W_hᵀ + (r ⊙ H_{t-1}) R_hᵀ + Rb_h + Wb_h))
 *   linearBeforeReset = true:  h = g(clip(X W_hᵀ + r ⊙ (H_{t-1} R_hᵀ + Rb_h) + Wb_h))
 *   H_t = (1 − z) ⊙ h + z ⊙ H_{t-1}
 * </pre>
 * {@code linearBeforeReset = false} (the ONNX default) is TensorFlow 1's {@code GRUCell}, which applies the reset
 * gate before the product; {@code true} is PyTorch's, cuDNN's and Keras' {@code reset_after=True}.
 */
public final class GruCell implements Cell {
    private final int hiddenSize;
    private final boolean linearBeforeReset;
    private final float clip;
    private final Activation gateActivation;
    private final Activation candidateActivation;

    private GruCell(Builder b) {
        this.hiddenSize = b.hiddenSize;
        this.linearBeforeReset = b.linearBeforeReset;
        this.clip = b.clip;
        this.gateActivation = b.gateActivation;
        this.candidateActivation = b.candidateActivation;
    }

    /**
     * @param hiddenSize hidden units
     * @return a GRU cell with the reset gate applied before the product (ONNX default, TensorFlow 1)
     */
    public static GruCell of(int hiddenSize) {
        return builder(hiddenSize).build();
    }

    /**
     * @param hiddenSize hidden units
     * @return a builder: linearBeforeReset false, no clip, sigmoid/tanh
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
        return 3;
    }

    @Override
    public String kind() {
        return "gru";
    }

    @Override
    public float clip() {
        return clip;
    }

    /** @return whether the recurrent product for h is computed before the reset gate multiplies it */
    public boolean linearBeforeReset() {
        return linearBeforeReset;
    }

    /** @return f, the activation of z and r */
    public Activation gateActivation() {
        return gateActivation;
    }

    /** @return g, the activation of the candidate h */
    public Activation candidateActivation() {
        return candidateActivation;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GruCell)) {
            return false;
        }
        GruCell c = (GruCell) o;
        return hiddenSize == c.hiddenSize && linearBeforeReset == c.linearBeforeReset
                && Float.compare(clip, c.clip) == 0 && gateActivation.equals(c.gateActivation)
                && candidateActivation.equals(c.candidateActivation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hiddenSize, linearBeforeReset, clip, gateActivation, candidateActivation);
    }

    @Override
    public String toString() {
        return "GruCell{hidden=" + hiddenSize + ", linearBeforeReset=" + linearBeforeReset
                + (hasClip() ? ", clip=" + clip : "") + ", activations=[" + gateActivation + ", "
                + candidateActivation + "]}";
    }

    /** Builder for {@link GruCell}; {@link #build()} validates. */
    public static final class Builder {
        private final int hiddenSize;
        private boolean linearBeforeReset;
        private float clip = Float.POSITIVE_INFINITY;
        private Activation gateActivation = Activation.sigmoid();
        private Activation candidateActivation = Activation.tanh();

        private Builder(int hiddenSize) {
            this.hiddenSize = hiddenSize;
        }

        /**
         * @param linearBeforeReset true for PyTorch/cuDNN/Keras {@code reset_after}; false (default) for TF1 and ONNX
         * @return this
         */
        public Builder linearBeforeReset(boolean linearBeforeReset) {
            this.linearBeforeReset = linearBeforeReset;
            return this;
        }

        /**
         * @param clip threshold applied to every gate pre-activation (default none)
         * @return this
         */
        public Builder clip(float clip) {
            this.clip = clip;
            return this;
        }

        /**
         * @param gate      f for z and r (default sigmoid)
         * @param candidate g for h (default tanh)
         * @return this
         */
        public Builder activations(Activation gate, Activation candidate) {
            this.gateActivation = Objects.requireNonNull(gate, "gate");
            this.candidateActivation = Objects.requireNonNull(candidate, "candidate");
            return this;
        }

        /** @return the cell */
        public GruCell build() {
            Cell.checkHidden(hiddenSize);
            Cell.checkClip(clip);
            return new GruCell(this);
        }
    }
}
