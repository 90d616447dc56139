package io.github.recurra.tensorflow;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The graph of one shape class ({@link Key}): its placeholders and what runs fetch. Built once by
 * {@link NetworkGraph} and kept by the model; the batch axis of every placeholder is dynamic.
 *
 * @param key        the shape class
 * @param inputs     {@code [batch, T, I]}
 * @param mask       {@code [T, batch, 1]} 0/1 validity per step, or null without lengths
 * @param h0         per layer {@code [dirs, batch, H]} (fed zeros when the caller gives no states)
 * @param c0         per layer the cell states, null entries for layers without one
 * @param dropout    per layer its input's dropout multipliers {@code [T, batch, in]}, null entries where none
 * @param output     the last layer's output, {@code [batch, T, F]} or {@code [batch, F]}
 * @param finalH     per layer {@code [dirs, batch, H]}
 * @param finalC     per layer, null entries for layers without a cell state
 * @param logits     the head's outputs, {@code [batch, C]} or {@code [batch, T, C]}, or null without a head
 * @param weights    training only: {@code [N]} each loss row's weight (1 / the mean's count, 0 past a length)
 * @param targets    training only: {@code [N, C]} one-hot labels or regression targets
 * @param objective  training only: the float32 objective Σ weight · row loss (the graph gradients are its), else null
 * @param gradients  training only: d objective / d parameter in canonical order, then per layer d / d h0 and (LSTM)
 *                   d / d c0; null otherwise
 */
record Piece(Key key, Placeholder<TFloat32> inputs, Placeholder<TFloat32> mask, List<Placeholder<TFloat32>> h0,
        List<Placeholder<TFloat32>> c0, List<Placeholder<TFloat32>> dropout, Operand<TFloat32> output,
        List<Operand<TFloat32>> finalH, List<Operand<TFloat32>> finalC, Operand<TFloat32> logits,
        Placeholder<TFloat32> weights, Placeholder<TFloat32> targets, Operand<TFloat32> objective,
        List<Output<?>> gradients) {

    /** What a run computes besides the forward pass. */
    enum Mode {
        /** Inference: no dropout, no gradients. */
        INFERENCE,
        /** The training-mode forward pass: dropout masks, no gradients. */
        TRAINING_FORWARD,
        /** Loss gradients (with dropout masks when the network has dropout). */
        TRAINING
    }

    /**
     * A shape class: one graph piece per distinct key.
     *
     * @param time    time steps
     * @param lengths whether the batch has per-example lengths
     * @param mode    what is computed
     * @param batch   the batch size the piece is built for, or −1 for any (a dynamic batch axis). Training pieces
     *                are built for their batch size: with every shape static, grappler folds the shape arithmetic
     *                of the gradients (Shape, BroadcastGradientArgs, the no-op Sum and Reshape of every broadcast)
     * @param fused   whether eligible LSTM layers run as the fused op ({@link FusedLstm#route}); forward modes only
     */
    record Key(int time, boolean lengths, Mode mode, int batch, boolean fused) {
        /** A piece for any batch size, unrolled. */
        Key(int time, boolean lengths, Mode mode) {
            this(time, lengths, mode, -1, false);
        }

        /** A piece for one batch size (or −1 for any), unrolled. */
        Key(int time, boolean lengths, Mode mode, int batch) {
            this(time, lengths, mode, batch, false);
        }
    }
}
