package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One direction of one layer, unrolled over the steps: the cell formulas of {@link LstmCell}, {@link GruCell} and
 * {@link RnnCell} as primitive ops. The input side of every step (x W<sup>T</sup> plus the input-side bias) is
 * computed beforehand for all steps by one product ({@link LayerGraph}); each step adds one recurrent product (two for
 * a GRU whose reset gate comes before the product).
 *
 * <p>Lengths: with a 0/1 mask m per step ({@code [batch, 1]}), a step's new state is {@code m·new + (1 − m)·old}, so
 * an example's state stays as it was at its last valid step, and its output {@code m·new} is exactly 0 past its
 * length. A reverse direction runs the steps from T − 1 down to 0 with the same masks: its state stays the initial one
 * until step {@code length − 1}, so it reads each example from its own last valid step, as the CPU backend does.
 */
final class Recurrence {

    private Recurrence() {
    }

    /**
     * One direction's recurrent weights.
     *
     * @param r             {@code Rᵀ [H, G·H]} (transposed once, so that no step's product transposes)
     * @param recurrentBias Rb {@code [G·H]} when added per step (GRU with linearBeforeReset), else null (then the
     *                      input side carries Wb + Rb)
     * @param peepholes     {@code P [3·H]} (i, o, f), or null
     * @param products      in training pieces, a recorder per block of R's rows that the steps multiply by (one, or
     *                      for a GRU with the reset before the product two: z and r rows, then h rows), else null
     */
    record Weights(Operand<TFloat32> r, Operand<TFloat32> recurrentBias, Operand<TFloat32> peepholes,
            List<Products> products) {
        /** Without recording the products. */
        Weights(Operand<TFloat32> r, Operand<TFloat32> recurrentBias, Operand<TFloat32> peepholes) {
            this(r, recurrentBias, peepholes, null);
        }

        /** @return the recorder of the i-th block of R (rows in order), or null */
        Products block(int i) {
            return products == null ? null : products.get(i);
        }
    }

    /**
     * @param outputs every step's output {@code [batch, H]} at its original time index (0 past an example's length)
     * @param h       the final hidden state {@code [batch, H]}
     * @param c       the final cell state, or null
     */
    record Result(List<Operand<TFloat32>> outputs, Operand<TFloat32> h, Operand<TFloat32> c) {
    }

    /**
     * @param tf      where to add the ops
     * @param cell    the cell
     * @param xs      per original time step, the input side {@code [batch, G·H]} (gate blocks in the canonical order)
     * @param h0      initial hidden state {@code [batch, H]}
     * @param c0      initial cell state (LSTM), else null
     * @param w       the recurrent weights
     * @param masks   per step the 0/1 validity mask {@code [batch, 1]}, or null without lengths
     * @param keeps   per step {@code 1 − mask}, or null without lengths
     * @param reverse whether the direction reads the steps backwards
     * @return outputs and final states
     */
    static Result run(Ops tf, Cell cell, List<Operand<TFloat32>> xs, Operand<TFloat32> h0, Operand<TFloat32> c0,
            Weights w, List<Operand<TFloat32>> masks, List<Operand<TFloat32>> keeps, boolean reverse) {
        Step step;
        if (cell instanceof LstmCell l) {
            step = new Lstm(tf, l, w);
        } else if (cell instanceof GruCell g) {
            step = new Gru(tf, g, w);
        } else {
            step = new Rnn(tf, (RnnCell) cell, w);
        }
        int time = xs.size();
        Operand<TFloat32>[] outs = newArray(time);
        Operand<TFloat32> h = h0;
        Operand<TFloat32> c = c0;
        for (int i = 0; i < time; i++) {
            int t = reverse ? time - 1 - i : i;
            Operand<TFloat32>[] next = step.apply(xs.get(t), h, c);
            if (masks == null) {
                h = next[0];
                c = next[1];
                outs[t] = h;
            } else {
                Operand<TFloat32> m = masks.get(t);
                Operand<TFloat32> k = keeps.get(t);
                outs[t] = tf.math.mul(m, next[0]);
                h = tf.math.add(outs[t], tf.math.mul(k, h));
                if (c != null) {
                    c = tf.math.add(tf.math.mul(m, next[1]), tf.math.mul(k, c));
                }
            }
        }
        return new Result(Arrays.asList(outs), h, c);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array is created raw, then typed
    private static Operand<TFloat32>[] newArray(int n) {
        return new Operand[n];
    }


    /** One step: the new hidden state and (LSTM) cell state. */
    private interface Step {
        Operand<TFloat32>[] apply(Operand<TFloat32> x, Operand<TFloat32> h, Operand<TFloat32> c);
    }

    private static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> v, int parts, int axis) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        tf.split(tf.constant(axis), v, (long) parts).forEach(out::add);
        return out;
    }

    /** LSTM, gate blocks i o f c; peepholes i and f see C(t−1), o sees C(t); clip on every gate pre-activation. */
    private static final class Lstm implements Step {
        private final Ops tf;
        private final LstmCell cell;
        private final Operand<TFloat32> r;
        private final Operand<TFloat32> pi;
        private final Operand<TFloat32> po;
        private final Operand<TFloat32> pf;
        private final Products products;

        Lstm(Ops tf, LstmCell cell, Weights w) {
            this.tf = tf;
            this.cell = cell;
            this.r = w.r();
            this.products = w.block(0);
            if (w.peepholes() != null) {
                List<Operand<TFloat32>> p = split(tf, w.peepholes(), 3, 0);
                pi = p.get(0);
                po = p.get(1);
                pf = p.get(2);
            } else {
                pi = po = pf = null;
            }
        }

        @Override
        public Operand<TFloat32>[] apply(Operand<TFloat32> x, Operand<TFloat32> h, Operand<TFloat32> c) {
            float clip = cell.clip();
            List<Operand<TFloat32>> g = split(tf, tf.math.add(x, Products.product(tf, h, r, products)), 4, 1);
            Operand<TFloat32> ai = g.get(0);
            Operand<TFloat32> ao = g.get(1);
            Operand<TFloat32> af = g.get(2);
            Operand<TFloat32> ac = g.get(3);
            if (pi != null) {
                ai = tf.math.add(ai, tf.math.mul(pi, c));
            }
            Operand<TFloat32> i = Activations.apply(tf, cell.gateActivation(), clip, ai);
            Operand<TFloat32> f;
            if (cell.coupledInputForget()) {
                f = tf.math.sub(tf.constant(1f), i);
            } else {
                if (pf != null) {
                    af = tf.math.add(af, tf.math.mul(pf, c));
                }
                f = Activations.apply(tf, cell.gateActivation(), clip, af);
            }
            Operand<TFloat32> cand = Activations.apply(tf, cell.cellActivation(), clip, ac);
            Operand<TFloat32> cn = tf.math.add(tf.math.mul(f, c), tf.math.mul(i, cand));
            if (po != null) {
                ao = tf.math.add(ao, tf.math.mul(po, cn));
            }
            Operand<TFloat32> o = Activations.apply(tf, cell.gateActivation(), clip, ao);
            Operand<TFloat32> hn = tf.math.mul(o, Activations.apply(tf, cell.outputActivation(), cn));
            return pair(hn, cn);
        }
    }

    /** GRU, gate blocks z r h, both reset modes. */
    private static final class Gru implements Step {
        private final Ops tf;
        private final GruCell cell;
        private final Operand<TFloat32> r;
        private final Operand<TFloat32> rb;
        private final Operand<TFloat32> rZr;
        private final Operand<TFloat32> rH;
        private final Products products;
        private final Products productsH;

        Gru(Ops tf, GruCell cell, Weights w) {
            this.tf = tf;
            this.cell = cell;
            this.r = w.r();
            this.products = w.block(0);
            this.productsH = cell.linearBeforeReset() ? null : w.block(1);
            this.rb = w.recurrentBias();
            if (cell.linearBeforeReset()) {
                rZr = rH = null;
            } else {
                int hh = cell.hiddenSize();
                List<Operand<TFloat32>> parts = new ArrayList<>();
                tf.splitV(r, tf.constant(new int[] {2 * hh, hh}), tf.constant(1), 2L).forEach(parts::add);
                rZr = parts.get(0);
                rH = parts.get(1);
            }
        }

        @Override
        public Operand<TFloat32>[] apply(Operand<TFloat32> x, Operand<TFloat32> h, Operand<TFloat32> c) {
            float clip = cell.clip();
            List<Operand<TFloat32>> xg = split(tf, x, 3, 1);
            Operand<TFloat32> z;
            Operand<TFloat32> rs;
            Operand<TFloat32> cand;
            if (cell.linearBeforeReset()) {
                List<Operand<TFloat32>> hg = split(tf, tf.nn.biasAdd(Products.product(tf, h, r, products), rb), 3, 1);
                z = Activations.apply(tf, cell.gateActivation(), clip, tf.math.add(xg.get(0), hg.get(0)));
                rs = Activations.apply(tf, cell.gateActivation(), clip, tf.math.add(xg.get(1), hg.get(1)));
                cand = tf.math.add(xg.get(2), tf.math.mul(rs, hg.get(2)));
            } else {
                List<Operand<TFloat32>> hg = split(tf, Products.product(tf, h, rZr, products), 2, 1);
                z = Activations.apply(tf, cell.gateActivation(), clip, tf.math.add(xg.get(0), hg.get(0)));
                rs = Activations.apply(tf, cell.gateActivation(), clip, tf.math.add(xg.get(1), hg.get(1)));
                cand = tf.math.add(xg.get(2), Products.product(tf, tf.math.mul(rs, h), rH, productsH));
            }
            Operand<TFloat32> n = Activations.apply(tf, cell.candidateActivation(), clip, cand);
            Operand<TFloat32> hn = tf.math.add(tf.math.mul(tf.math.sub(tf.constant(1f), z), n), tf.math.mul(z, h));
            return pair(hn, null);
        }
    }

    /** Vanilla RNN. */
    private static final class Rnn implements Step {
        private final Ops tf;
        private final RnnCell cell;
        private final Operand<TFloat32> r;
        private final Products products;

        Rnn(Ops tf, RnnCell cell, Weights w) {
            this.tf = tf;
            this.cell = cell;
            this.r = w.r();
            this.products = w.block(0);
        }

        @Override
        public Operand<TFloat32>[] apply(Operand<TFloat32> x, Operand<TFloat32> h, Operand<TFloat32> c) {
            return pair(Activations.apply(tf, cell.activation(), cell.clip(), tf.math.add(x,
                    Products.product(tf, h, r, products))),
                    null);
        }
    }

    private static Operand<TFloat32>[] pair(Operand<TFloat32> h, Operand<TFloat32> c) {
        Operand<TFloat32>[] p = newArray(2);
        p[0] = h;
        p[1] = c;
        return p;
    }
}
