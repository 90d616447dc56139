package io.github.recurra.api.param;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.tensor.Tensor;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How a network's parameters start. Immutable; {@link #defaults()} is what the library uses unless told otherwise.
 *
 * <p>Per direction of each layer: W [G*H, I] from {@link #inputWeights()} (default Glorot uniform over the whole
 * block, fanIn = I, fanOut = G*H), R [G*H, H] from {@link #recurrentWeights()} (default orthogonal), biases zero
 * except the LSTM forget block of Wb, which is {@link LstmCell#forgetBias()}, peepholes zero; the head's W from
 * {@link #inputWeights()} and its bias zero.
 *
 * <p>Draws come from one {@link SplittableRandom} seeded with the given seed, tensor by tensor in canonical order
 * (see {@link Parameters}), so the result depends only on the network and the seed, never on the backend.
 */
public final class Initialization {
    private final Initializer inputWeights;
    private final Initializer recurrentWeights;

    private Initialization(Initializer inputWeights, Initializer recurrentWeights) {
        this.inputWeights = Objects.requireNonNull(inputWeights, "inputWeights");
        this.recurrentWeights = Objects.requireNonNull(recurrentWeights, "recurrentWeights");
    }

    /** @return Glorot-uniform input and head weights, orthogonal recurrent weights */
    public static Initialization defaults() {
        return new Initialization(Initializer.glorotUniform(), Initializer.orthogonal(1.0));
    }

    /**
     * @param inputWeights     for W and the head's weights
     * @param recurrentWeights for R
     * @return a custom scheme
     */
    public static Initialization of(Initializer inputWeights, Initializer recurrentWeights) {
        return new Initialization(inputWeights, recurrentWeights);
    }

    /** @return the initializer of input and head weights */
    public Initializer inputWeights() {
        return inputWeights;
    }

    /** @return the initializer of recurrent weights */
    public Initializer recurrentWeights() {
        return recurrentWeights;
    }

    /**
     * Creates a network's parameters.
     *
     * @param network the network
     * @param seed    the seed; the same seed gives the same values
     * @return new parameters with the canonical names and shapes
     */
    public Parameters initialize(Network network, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Parameters p = Parameters.zerosFor(network);
        for (int k = 0; k < network.layers().size(); k++) {
            Sequence s = network.layers().get(k);
            Cell c = s.cell();
            int h = c.hiddenSize();
            int gh = c.gates() * h;
            int in = network.layerInputSize(k);
            int dirs = s.direction().count();
            Tensor w = p.get(Parameters.w(k));
            Tensor r = p.get(Parameters.r(k));
            Tensor b = p.get(Parameters.b(k));
            for (int d = 0; d < dirs; d++) {
                inputWeights.fill(w.data(), d * gh * in, gh, in, random);
                recurrentWeights.fill(r.data(), d * gh * h, gh, h, random);
                if (c instanceof LstmCell) {
                    // gate order i o f c: the forget block of the input bias is the third
                    java.util.Arrays.fill(b.data(), d * 2 * gh + 2 * h, d * 2 * gh + 3 * h,
                            ((LstmCell) c).forgetBias());
                }
            }
        }
        if (network.head().isPresent()) {
            Tensor hw = p.get(Parameters.HEAD_W);
            inputWeights.fill(hw.data(), 0, hw.dim(0), hw.dim(1), random);
        }
        return p;
    }
}
