package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * One recurrent layer: the input side of every step and direction in one product
 * ({@code [T·B, in] × [dirs·G·H, in]ᵀ} plus the input-side bias), the directions ({@link Recurrence}), and their merge
 * per {@link MergeMode}: every step's merged output, or the layer's last step (the merged final states, or with
 * {@link LastStep#LAST_TIME_INDEX} the merged output at each example's last valid index).
 */
final class LayerGraph {

    private LayerGraph() {
    }

    /**
     * @param steps  every step's merged output {@code [batch, out]} (0 past an example's length), or null when the
     *               layer returns only its last step
     * @param last   the last-step output {@code [batch, out]}, or null when the layer returns every step
     * @param finalH the final hidden states {@code [dirs, batch, H]}
     * @param finalC the final cell states, or null
     * @param products when recorded, per direction the recorders of R's row blocks ({@link Recurrence.Weights}),
     *                 whose gradients make R's; else null
     */
    record Out(List<Operand<TFloat32>> steps, Operand<TFloat32> last, Operand<TFloat32> finalH,
            Operand<TFloat32> finalC, List<List<Products>> products) {
    }

    /**
     * @param tf      where to add the ops
     * @param vars    the parameters
     * @param k       the layer's index
     * @param s       the layer
     * @param in      features per step it reads
     * @param input   its input, time-major {@code [T, batch, in]}
     * @param time    T
     * @param h0      initial hidden states {@code [dirs, batch, H]}
     * @param c0      initial cell states, or null
     * @param masks   per step {@code [batch, 1]} 0/1 validity, or null without lengths
     * @param keeps   per step {@code 1 − mask}, or null
     * @param seq     whether to output every step
     * @return the layer's outputs
     */
    static Out build(Ops tf, Variables vars, int k, Sequence s, int in, Operand<TFloat32> input, int time,
            Operand<TFloat32> h0, Operand<TFloat32> c0, List<Operand<TFloat32>> masks, List<Operand<TFloat32>> keeps,
            boolean seq) {
        return build(tf, vars, k, s, in, input, time, h0, c0, masks, keeps, seq, false);
    }

    /**
     * As the other {@code build}, optionally recording the recurrent products ({@link Products}) for a training
     * piece: R is then read through {@code StopGradient} and its gradient is made from the records.
     *
     * @param record whether to record
     */
    static Out build(Ops tf, Variables vars, int k, Sequence s, int in, Operand<TFloat32> input, int time,
            Operand<TFloat32> h0, Operand<TFloat32> c0, List<Operand<TFloat32>> masks, List<Operand<TFloat32>> keeps,
            boolean seq, boolean record) {
        return build(tf, vars, k, s, in, input, time, h0, c0, masks, keeps, seq, record, false);
    }

    /**
     * As the other {@code build}, optionally as the fused route ({@link FusedLstm}) where the layer is eligible.
     *
     * @param record whether to record the products (not with {@code fused})
     * @param fused  whether an eligible LSTM layer runs as {@code BlockLSTMV2} (forward passes only)
     */
    static Out build(Ops tf, Variables vars, int k, Sequence s, int in, Operand<TFloat32> input, int time,
            Operand<TFloat32> h0, Operand<TFloat32> c0, List<Operand<TFloat32>> masks, List<Operand<TFloat32>> keeps,
            boolean seq, boolean record, boolean fused) {
        if (fused && !record && FusedLstm.eligible(s, masks != null)) {
            int gh = 4 * s.cell().hiddenSize();
            List<Operand<TFloat32>> wbRb = unstack(tf, tf.reshape(vars.value(Parameters.b(k)),
                    tf.constant(new int[] {2, gh})), 2, 0);
            Operand<TFloat32> p = s.cell().hasPeepholes()
                    ? tf.reshape(vars.value(Parameters.p(k)), tf.constant(new int[] {-1})) : null;
            Recurrence.Result run = FusedLstm.run(tf, (io.github.recurra.api.cell.LstmCell) s.cell(), input, time,
                    tf.reshape(vars.value(Parameters.w(k)), tf.constant(new int[] {gh, in})),
                    tf.reshape(vars.value(Parameters.r(k)), tf.constant(new int[] {gh, s.cell().hiddenSize()})),
                    wbRb.get(0), wbRb.get(1), p, unstack(tf, h0, 1, 0).get(0), unstack(tf, c0, 1, 0).get(0),
                    s.direction() == Direction.REVERSE);
            return finish(tf, s, List.of(run), time, c0 != null, masks, seq, null);
        }
        Cell cell = s.cell();
        int dirs = s.direction().count();
        int hh = cell.hiddenSize();
        int gh = cell.gates() * hh;
        boolean lbr = cell instanceof GruCell g && g.linearBeforeReset();
        // bias: [dirs, 2, G·H] → Wb, Rb per direction
        List<Operand<TFloat32>> wbRb = unstack(tf, tf.reshape(vars.value(Parameters.b(k)),
                tf.constant(new int[] {dirs, 2, gh})), 2, 1);
        Operand<TFloat32> inputBias = lbr ? wbRb.get(0) : tf.math.add(wbRb.get(0), wbRb.get(1));
        Operand<TFloat32> w = tf.reshape(vars.value(Parameters.w(k)), tf.constant(new int[] {dirs * gh, in}));
        Operand<TFloat32> flat = tf.reshape(input, tf.constant(new int[] {-1, in}));
        Operand<TFloat32> proj = tf.nn.biasAdd(tf.linalg.matMul(flat, w, MatMul.transposeB(true)),
                tf.reshape(inputBias, tf.constant(new int[] {dirs * gh})));
        // the first layer of a training piece, forward, z(t) added to the projection directly: the projection's
        // gradient is R's products' (Products.shareInputSide), so it is read through StopGradient
        boolean share = record && k == 0 && s.direction() == Direction.FORWARD && !(cell instanceof GruCell);
        List<Operand<TFloat32>> projSteps = unstack(tf, tf.reshape(share ? tf.stopGradient(proj) : proj,
                tf.constant(new int[] {time, -1, dirs * gh})), time, 0);
        List<List<Operand<TFloat32>>> xs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            xs.add(new ArrayList<>());
        }
        for (Operand<TFloat32> p : projSteps) {
            if (dirs == 1) {
                xs.get(0).add(p);
            } else {
                int d = 0;
                for (Operand<TFloat32> part : tf.split(tf.constant(1), p, 2L)) {
                    xs.get(d++).add(part);
                }
            }
        }
        Operand<TFloat32> rAll = vars.value(Parameters.r(k));
        List<Operand<TFloat32>> r = unstack(tf, record ? tf.stopGradient(rAll) : rAll, dirs, 0);
        List<List<Products>> products = record ? new ArrayList<>() : null;
        List<Operand<TFloat32>> rb = lbr ? unstack(tf, wbRb.get(1), dirs, 0) : null;
        List<Operand<TFloat32>> p = cell.hasPeepholes() ? unstack(tf, vars.value(Parameters.p(k)), dirs, 0) : null;
        List<Operand<TFloat32>> hInit = unstack(tf, h0, dirs, 0);
        List<Operand<TFloat32>> cInit = c0 == null ? null : unstack(tf, c0, dirs, 0);
        List<Recurrence.Result> runs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            boolean reverse = s.direction() == Direction.REVERSE || d == 1;
            List<Products> blocks = null;
            if (record) {
                blocks = new ArrayList<>();
                blocks.add(new Products());
                if (share) {
                    blocks.get(0).shareInputSide(flat);
                }
                if (cell instanceof GruCell g && !g.linearBeforeReset()) {
                    blocks.add(new Products());
                }
                products.add(blocks);
            }
            Operand<TFloat32> rT = tf.linalg.transpose(r.get(d), tf.constant(new int[] {1, 0}));
            Recurrence.Weights weights = new Recurrence.Weights(rT, rb == null ? null : rb.get(d),
                    p == null ? null : p.get(d), blocks);
            runs.add(Recurrence.run(tf, cell, xs.get(d), hInit.get(d), cInit == null ? null : cInit.get(d), weights,
                    masks, keeps, reverse));
        }
        return finish(tf, s, runs, time, c0 != null, masks, seq, products);
    }

    /** The merge of the directions' runs per {@link MergeMode} into the layer's outputs. */
    private static Out finish(Ops tf, Sequence s, List<Recurrence.Result> runs, int time, boolean cellState,
            List<Operand<TFloat32>> masks, boolean seq, List<List<Products>> products) {
        List<Operand<TFloat32>> hs = new ArrayList<>();
        List<Operand<TFloat32>> cs = new ArrayList<>();
        for (Recurrence.Result run : runs) {
            hs.add(run.h());
            cs.add(run.c());
        }
        Operand<TFloat32> finalH = tf.stack(hs);
        Operand<TFloat32> finalC = cellState ? tf.stack(cs) : null;
        MergeMode mode = s.mergeMode();
        if (seq) {
            List<Operand<TFloat32>> steps = new ArrayList<>();
            for (int t = 0; t < time; t++) {
                steps.add(merge(tf, mode, runs, t));
            }
            return new Out(steps, null, finalH, finalC, products);
        }
        if (s.lastStep() == LastStep.LAST_TIME_INDEX && s.direction() != Direction.FORWARD) {
            if (masks == null) {
                return new Out(null, merge(tf, mode, runs, time - 1), finalH, finalC, products);
            }
            // the one-hot of each example's last valid index, e(t) = m(t) − m(t + 1), picks its merged output there
            List<Operand<TFloat32>> terms = new ArrayList<>();
            for (int t = 0; t < time; t++) {
                Operand<TFloat32> e = t + 1 < time ? tf.math.sub(masks.get(t), masks.get(t + 1)) : masks.get(t);
                terms.add(tf.math.mul(e, merge(tf, mode, runs, t)));
            }
            return new Out(null, terms.size() == 1 ? terms.get(0) : tf.math.addN(terms), finalH, finalC,
                    products);
        }
        return new Out(null, combine(tf, mode, hs), finalH, finalC, products);
    }

    private static Operand<TFloat32> merge(Ops tf, MergeMode mode, List<Recurrence.Result> runs, int t) {
        List<Operand<TFloat32>> at = new ArrayList<>();
        for (Recurrence.Result run : runs) {
            at.add(run.outputs().get(t));
        }
        return combine(tf, mode, at);
    }

    /** The merge of one or two directions' values. */
    private static Operand<TFloat32> combine(Ops tf, MergeMode mode, List<Operand<TFloat32>> v) {
        if (v.size() == 1) {
            return v.get(0);
        }
        Operand<TFloat32> a = v.get(0);
        Operand<TFloat32> b = v.get(1);
        return switch (mode) {
            case CONCAT -> tf.concat(v, tf.constant(1));
            case SUM -> tf.math.add(a, b);
            case AVERAGE -> tf.math.mul(tf.math.add(a, b), tf.constant(0.5f));
            case MULTIPLY -> tf.math.mul(a, b);
        };
    }

    static List<Operand<TFloat32>> unstack(Ops tf, Operand<TFloat32> v, int n, int axis) {
        List<Operand<TFloat32>> out = new ArrayList<>(n);
        tf.unstack(v, (long) n, Unstack.axis((long) axis)).forEach(out::add);
        return out;
    }
}
