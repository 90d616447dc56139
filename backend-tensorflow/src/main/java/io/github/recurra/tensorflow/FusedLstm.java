package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Sequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.types.TFloat32;

/**
 * The fused LSTM route: one direction of an LSTM layer as TensorFlow's {@code BlockLSTMV2} (one op over all steps),
 * for forward passes of the layers whose semantics equal it ({@link #eligible}). The canonical parameters are
 * converted in the graph: gate blocks from ONNX's i o f c to the op's i f c o, {@code w = [W, R]ᵀ} of shape
 * {@code [I + H, 4H]} applied to {@code [x, h]}, one bias Wb + Rb, peepholes P = [i, o, f] to wci, wco, wcf. The op's
 * {@code cell_clip} (which clips the cell state, unlike ONNX's clip) is off. A reverse direction runs on the inputs
 * reversed in time. TensorFlow has no C++ gradient for the op, so training pieces never use this route.
 */
final class FusedLstm {

    private FusedLstm() {
    }

    /**
     * The route choice, in one place. Measured on the reference workload (2-core AVX2 EPYC, oneDNN on, machine shared
     * with other builds): a bare graph of {@code BlockLSTMV2} plus the head took 0.38-0.40 ms at B=1 against 0.98-1.09
     * ms for the unrolled model's forward, but through the model (the parameter conversion in the graph, the feeds and
     * fetches) the fused route's B=1 forward was no faster than the unrolled one (0.85-1.1 against 0.6-0.95 ms in the
     * same rounds), and from B=8 up the unrolled graph's oneDNN products were faster (B=128: 12.1 against 10.7 ms).
     * So {@link TensorFlowBackendModule.Route#AUTO} runs unrolled everywhere, and the fused route runs only when forced
     * ({@link TensorFlowBackendModule.Route#FUSED}, kept correct by a second run of the conformance kit). Training
     * always runs unrolled: the op has no C++ gradient, and the prototypes' {@code BlockLSTMGradV2} (the grad op alone
     * ~24 ms) and hand-built backward were not faster.
     *
     * @param route   the option
     * @param network the network
     * @param mode    the piece's mode
     * @param batch   the batch size
     * @param lengths whether the batch has lengths
     * @return whether the forward piece runs eligible LSTM layers fused
     */
    static boolean route(TensorFlowBackendModule.Route route, io.github.recurra.api.model.Network network,
            Piece.Mode mode, int batch, boolean lengths) {
        if (mode == Piece.Mode.TRAINING || route != TensorFlowBackendModule.Route.FUSED) {
            return false;
        }
        return network.layers().stream().anyMatch(s -> eligible(s, lengths));
    }

    /**
     * @param s       a layer
     * @param lengths whether the batch has per-example lengths (the op has one length for the whole batch)
     * @return whether {@code BlockLSTMV2} computes exactly this layer's formulas
     */
    static boolean eligible(Sequence s, boolean lengths) {
        return !lengths && s.direction() != Direction.BIDIRECTIONAL && s.cell() instanceof LstmCell l
                && l.clip() == Float.POSITIVE_INFINITY && !l.coupledInputForget()
                && l.gateActivation().equals(Activation.sigmoid()) && l.cellActivation().equals(Activation.tanh())
                && l.outputActivation().equals(Activation.tanh());
    }

    /**
     * @param tf      where to add the ops
     * @param cell    the cell
     * @param x       the layer's input, time-major {@code [T, batch, I]}
     * @param time    T
     * @param w       W {@code [4H, I]} of the direction
     * @param r       R {@code [4H, H]}
     * @param wb      Wb {@code [4H]}
     * @param rb      Rb {@code [4H]}
     * @param p       P {@code [3H]}, or null
     * @param h0      {@code [batch, H]}
     * @param c0      {@code [batch, H]}
     * @param reverse whether the direction reads the steps backwards
     * @return the outputs at their original time indices and the final states
     */
    static Recurrence.Result run(Ops tf, LstmCell cell, Operand<TFloat32> x, int time, Operand<TFloat32> w,
            Operand<TFloat32> r, Operand<TFloat32> wb, Operand<TFloat32> rb, Operand<TFloat32> p, Operand<TFloat32> h0,
            Operand<TFloat32> c0, boolean reverse) {
        int hh = cell.hiddenSize();
        Operand<TFloat32> wr = reorder(tf, tf.concat(List.of(w, r), tf.constant(1)), 0);
        Operand<TFloat32> kernel = tf.linalg.transpose(wr, tf.constant(new int[] {1, 0}));
        Operand<TFloat32> bias = reorder(tf, tf.math.add(wb, rb), 0);
        Operand<TFloat32> wci;
        Operand<TFloat32> wco;
        Operand<TFloat32> wcf;
        if (p != null) {
            List<Operand<TFloat32>> parts = new ArrayList<>();
            tf.split(tf.constant(0), p, 3L).forEach(parts::add);
            wci = parts.get(0);
            wco = parts.get(1);
            wcf = parts.get(2);
        } else {
            wci = wco = wcf = tf.zeros(tf.constant(new int[] {hh}), TFloat32.class);
        }
        Operand<TFloat32> in = reverse ? tf.reverse(x, tf.constant(new int[] {0})) : x;
        BlockLSTM<TFloat32> op = tf.nn.blockLSTM(tf.constant((long) time), in, c0, h0, kernel, wci, wcf, wco, bias,
                BlockLSTM.cellClip(-1f), BlockLSTM.usePeephole(p != null));
        List<Operand<TFloat32>> hs = LayerGraph.unstack(tf, op.h(), time, 0);
        Operand<TFloat32> lastC = tf.reshape(tf.slice(op.cs(), tf.constant(new int[] {time - 1, 0, 0}),
                tf.constant(new int[] {1, -1, hh})), tf.constant(new int[] {-1, hh}));
        Operand<TFloat32> lastH = hs.get(time - 1);
        if (reverse) {
            hs = new ArrayList<>(hs);
            Collections.reverse(hs);
        }
        return new Recurrence.Result(hs, lastH, lastC);
    }

    /** Gate blocks i o f c along {@code axis} to i f c o. */
    private static Operand<TFloat32> reorder(Ops tf, Operand<TFloat32> v, int axis) {
        List<Operand<TFloat32>> g = new ArrayList<>();
        tf.split(tf.constant(axis), v, 4L).forEach(g::add);
        return tf.concat(List.of(g.get(0), g.get(2), g.get(3), g.get(1)), tf.constant(axis));
    }
}
