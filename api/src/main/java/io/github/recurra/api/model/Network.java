package io.github.recurra.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A recurrent network: input features per step, a stack of {@link Sequence} layers (each reads the previous one's
 * output), and an optional {@link Head}. Immutable; build with {@link #builder(int)}.
 *
 * <p>Every layer but the last must return sequences. With a last-step head the last layer returns its last step;
 * with a per-step head it returns every step.
 */
public final class Network {
    private final int inputSize;
    private final List<Sequence> layers;
    private final Head head;
    private final double dropout;

    private Network(int inputSize, List<Sequence> layers, Head head, double dropout) {
        this.inputSize = inputSize;
        this.layers = List.copyOf(layers);
        this.head = head;
        this.dropout = dropout;
    }

    /**
     * @param inputSize features per time step, at least 1
     * @return a builder
     */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /** @return features per time step */
    public int inputSize() {
        return inputSize;
    }

    /** @return the recurrent layers, bottom first */
    public List<Sequence> layers() {
        return layers;
    }

    /**
     * @param layer index from 0
     * @return features per step that layer reads
     */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : layers.get(layer - 1).outputSize();
    }

    /** @return the head, if any */
    public Optional<Head> head() {
        return Optional.ofNullable(head);
    }

    /**
     * @return the head
     * @throws IllegalStateException if the network has none
     */
    public Head requireHead() {
        if (head == null) {
            throw new IllegalStateException("this network has no head, so it has no predictions or loss; add one with "
                    + "Network.builder(...).head(Head.classifier(classes))");
        }
        return head;
    }

    /**
     * @return the dropout rate p applied in training to the input of every layer above the first (each value is
     *     zeroed with probability p and the rest scaled by 1 / (1 − p), masks as {@link Dropout} draws them;
     *     inference uses no dropout); 0 for none
     */
    public double dropout() {
        return dropout;
    }

    /** @return features per step of the last recurrent layer */
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network && ((Network) o).inputSize == inputSize && ((Network) o).layers.equals(layers)
                && Objects.equals(((Network) o).head, head) && ((Network) o).dropout == dropout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputSize, layers, head, dropout);
    }

    @Override
    public String toString() {
        return "Network{input=" + inputSize + ", layers=" + layers + (dropout > 0 ? ", dropout=" + dropout : "")
                + (head != null ? ", " + head : "") + "}";
    }

    /** Builder for {@link Network}; {@link #build()} validates. */
    public static final class Builder {
        private final int inputSize;
        private final List<Sequence> layers = new ArrayList<>();
        private Head head;
        private double dropout;

        private Builder(int inputSize) {
            this.inputSize = inputSize;
        }

        /**
         * Appends a recurrent layer on top of the previous ones.
         *
         * @param sequence the layer
         * @return this
         */
        public Builder layer(Sequence sequence) {
            layers.add(Objects.requireNonNull(sequence, "sequence"));
            return this;
        }

        /**
         * @param head the output layer and loss
         * @return this
         */
        public Builder head(Head head) {
            this.head = Objects.requireNonNull(head, "head");
            return this;
        }

        /**
         * @param rate dropout between stacked layers in training, in [0, 1) (default 0)
         * @return this
         */
        public Builder dropout(double rate) {
            this.dropout = rate;
            return this;
        }

        /** @return the network */
        public Network build() {
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1) but was " + dropout);
            }
            if (dropout > 0 && layers.size() < 2) {
                throw new IllegalArgumentException("dropout applies between stacked layers but this network has "
                        + layers.size() + " layer; add a layer or remove the dropout");
            }
            if (inputSize < 1) {
                throw new IllegalArgumentException("input size must be at least 1 but was " + inputSize);
            }
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("a network needs at least one recurrent layer; add one with "
                        + ".layer(Sequence.of(LstmCell.of(128)))");
            }
            for (int i = 0; i < layers.size() - 1; i++) {
                if (!layers.get(i).returnSequences()) {
                    throw new IllegalArgumentException("layer " + i + " feeds layer " + (i + 1)
                            + " so it must return every step; build it with .returnSequences(true)");
                }
            }
            Sequence last = layers.get(layers.size() - 1);
            if (head != null) {
                boolean perStep = head.target() == Head.Target.EVERY_STEP;
                if (perStep != last.returnSequences()) {
                    throw new IllegalArgumentException("the head reads " + (perStep ? "every step" : "the last step")
                            + " but the last layer returns " + (last.returnSequences() ? "every step" : "the last step")
                            + "; set .returnSequences(" + perStep + ") on the last layer");
                }
            }
            return new Network(inputSize, layers, head, dropout);
        }
    }
}
