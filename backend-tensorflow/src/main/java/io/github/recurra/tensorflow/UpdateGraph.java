package io.github.recurra.tensorflow;

import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The update rules of the built-in optimizers ({@link Sgd}, {@link RmsProp}, {@link Adam}, {@link AdamW}) and
 * {@link Clipping} as graph ops on the parameter and slot variables, written to round as the host rules in
 * {@code io.github.recurra.api.optim} do: float32 where they compute in float (with the same operand order, e.g.
 * {@code (c2·g)·g}), float64 where they compute in double (the global norm, the clip scale, Adam's denominator
 * {@code (float)(√(double)v / √bc2 + ε)}). The per-update scalars the host computes in double from the schedule
 * (η, Adam's step size and decay, √bc2, whether t = 1) are fed as placeholders ({@link Scalars}).
 *
 * <p>{@link #build} adds one entry into the update: from given gradients (a training piece's graph gradients, or
 * placeholders for {@code TrainingSession.apply}) to candidates for every parameter and slot, a flag {@code ok}
 * (the extra condition, the global norm and every candidate finite), and assigns of {@code select(ok, candidate,
 * old)}, so a refused update writes every variable's old value back and changes nothing.
 */
final class UpdateGraph {
    /** One entry into the update: run {@code target}, fetch {@code norm} (float64) and {@code ok}. */
    record Update(Operand<TFloat64> norm, Operand<TBool> ok, Op target) {
    }

    /**
     * The per-update scalar placeholders.
     *
     * @param rate     {@code (float) η_t}
     * @param first    whether t = 1 (SGD's momentum buffer starts as d)
     * @param stepSize Adam: {@code (float)(η_t / (1 − β1^t))}
     * @param decay    AdamW: {@code (float)(1 − η_t·λ)}
     * @param bc2Sqrt  Adam: {@code √(1 − β2^t)} in double
     */
    record Scalars(Placeholder<TFloat32> rate, Placeholder<TBool> first, Placeholder<TFloat32> stepSize,
            Placeholder<TFloat32> decay, Placeholder<TFloat64> bc2Sqrt) {
    }

    private final Optimizer optimizer;
    private final Slots slots;
    private final Variables vars;
    private final Scalars scalars;

    /**
     * @param tf        where the scalar placeholders go (a sub-scope of its own)
     * @param optimizer a built-in optimizer
     * @param vars      the parameters
     * @param slots     the optimizer's slot variables
     */
    UpdateGraph(Ops tf, Optimizer optimizer, Variables vars, Slots slots) {
        this.optimizer = optimizer;
        this.vars = vars;
        this.slots = slots;
        this.scalars = new Scalars(tf.withName("rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())),
                tf.withName("first").placeholder(TBool.class, Placeholder.shape(Shape.scalar())),
                tf.withName("step_size").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())),
                tf.withName("decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())),
                tf.withName("bc2_sqrt").placeholder(TFloat64.class, Placeholder.shape(Shape.scalar())));
    }

    /** @return the scalar placeholders every entry shares */
    Scalars scalars() {
        return scalars;
    }

    /** @return the slot names of an optimizer, in the host state's order */
    static String[] slotNames(Optimizer o) {
        if (o instanceof Sgd s) {
            return s.momentum() > 0 ? new String[] {"momentum"} : new String[0];
        }
        if (o instanceof RmsProp r) {
            List<String> n = new ArrayList<>(List.of("square"));
            if (r.centered()) {
                n.add("mean");
            }
            if (r.momentum() > 0) {
                n.add("momentum");
            }
            return n.toArray(new String[0]);
        }
        return new String[] {"m", "v"};
    }

    /**
     * @param tf    where to add the ops (a sub-scope not used before)
     * @param grads the gradients in canonical parameter order
     * @param extra a further condition for applying (the objective finite), or null
     * @return the entry
     */
    Update build(Ops tf, List<Operand<TFloat32>> grads, Operand<TBool> extra) {
        List<String> names = vars.names();
        Clipping clip = optimizer.clipping();
        Operand<TFloat64> before = globalNorm(tf, grads);
        List<Operand<TFloat32>> g = new ArrayList<>(grads);
        if (clip.maxValue() != Double.POSITIVE_INFINITY) {
            Operand<TFloat32> v = tf.constant((float) clip.maxValue());
            Operand<TFloat32> minusV = tf.constant(-(float) clip.maxValue());
            g.replaceAll(x -> tf.math.maximum(minusV, tf.math.minimum(v, x)));
        }
        if (clip.maxNorm() != Double.POSITIVE_INFINITY) {
            Operand<TFloat64> norm = clip.maxValue() != Double.POSITIVE_INFINITY ? globalNorm(tf, g) : before;
            Operand<TFloat64> c = tf.constant(clip.maxNorm());
            Operand<TFloat64> scale = tf.select(tf.math.greater(norm, c), tf.math.div(c, norm), tf.constant(1.0));
            g.replaceAll(x -> tf.dtypes.cast(tf.math.mul(tf.dtypes.cast(x, TFloat64.class), scale), TFloat32.class));
        }
        List<Operand<TBool>> finite = new ArrayList<>();
        finite.add(tf.math.isFinite(before));
        if (extra != null) {
            finite.add(extra);
        }
        List<Candidate> cands = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            rule(tf, names.get(k), g.get(k), cands);
        }
        for (Candidate c : cands) {
            finite.add(tf.reduceAll(tf.math.isFinite(c.value), tf.constant(axes(c.old))));
        }
        Operand<TBool> ok = tf.reduceAll(tf.stack(finite), tf.constant(0));
        List<Op> assigns = new ArrayList<>();
        for (Candidate c : cands) {
            assigns.add(tf.assign(c.variable, tf.select(ok, c.value, c.old)));
        }
        return new Update(before, ok, tf.withControlDependencies(assigns).noOp());
    }

    private record Candidate(Operand<TFloat32> variable, Operand<TFloat32> old, Operand<TFloat32> value) {
    }

    private static int[] axes(Operand<?> v) {
        int rank = v.shape().numDimensions();
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    /** √Σ (double) g², as {@link Clipping#globalNormOf} (summation order aside). */
    private static Operand<TFloat64> globalNorm(Ops tf, List<Operand<TFloat32>> g) {
        List<Operand<TFloat64>> sums = new ArrayList<>();
        for (Operand<TFloat32> x : g) {
            sums.add(tf.sum(tf.math.square(tf.dtypes.cast(x, TFloat64.class)), tf.constant(axes(x))));
        }
        return tf.math.sqrt(sums.size() == 1 ? sums.get(0) : tf.math.addN(sums));
    }

    private void rule(Ops tf, String name, Operand<TFloat32> g, List<Candidate> out) {
        Operand<TFloat32> p = vars.value(name);
        Operand<TFloat32> newP;
        if (optimizer instanceof Sgd s) {
            Operand<TFloat32> d = s.weightDecay() != 0
                    ? tf.math.add(g, tf.math.mul(tf.constant((float) s.weightDecay()), p)) : g;
            if (s.momentum() > 0) {
                Operand<TFloat32> mu = tf.constant((float) s.momentum());
                Operand<TFloat32> buf = slots.value("momentum", name);
                Operand<TFloat32> b = tf.select(scalars.first, d, tf.math.add(tf.math.mul(mu, buf),
                        tf.math.mul(tf.constant((float) (1 - s.dampening())), d)));
                out.add(new Candidate(slots.variable("momentum", name), buf, b));
                d = s.nesterov() ? tf.math.add(d, tf.math.mul(mu, b)) : b;
            }
            newP = tf.math.sub(p, tf.math.mul(scalars.rate, d));
        } else if (optimizer instanceof RmsProp r) {
            Operand<TFloat32> a = tf.constant((float) r.alpha());
            Operand<TFloat32> ca = tf.constant((float) (1 - r.alpha()));
            Operand<TFloat32> eps = tf.constant((float) r.epsilon());
            Operand<TFloat32> d = r.weightDecay() != 0
                    ? tf.math.add(g, tf.math.mul(tf.constant((float) r.weightDecay()), p)) : g;
            Operand<TFloat32> s0 = slots.value("square", name);
            Operand<TFloat32> s1 = tf.math.add(tf.math.mul(a, s0), tf.math.mul(tf.math.mul(ca, d), d));
            out.add(new Candidate(slots.variable("square", name), s0, s1));
            Operand<TFloat32> q;
            if (r.centered()) {
                Operand<TFloat32> m0 = slots.value("mean", name);
                Operand<TFloat32> m1 = tf.math.add(tf.math.mul(a, m0), tf.math.mul(ca, d));
                out.add(new Candidate(slots.variable("mean", name), m0, m1));
                q = tf.math.add(tf.math.sqrt(tf.math.sub(s1, tf.math.mul(m1, m1))), eps);
            } else {
                q = tf.math.add(tf.math.sqrt(s1), eps);
            }
            if (r.momentum() > 0) {
                Operand<TFloat32> b0 = slots.value("momentum", name);
                Operand<TFloat32> b1 = tf.math.add(tf.math.mul(tf.constant((float) r.momentum()), b0),
                        tf.math.div(d, q));
                out.add(new Candidate(slots.variable("momentum", name), b0, b1));
                newP = tf.math.sub(p, tf.math.mul(scalars.rate, b1));
            } else {
                newP = tf.math.sub(p, tf.math.mul(scalars.rate, tf.math.div(d, q)));
            }
        } else {
            double beta1;
            double beta2;
            double epsilon;
            double wd;
            if (optimizer instanceof AdamW w) {
                beta1 = w.beta1();
                beta2 = w.beta2();
                epsilon = w.epsilon();
                wd = w.weightDecay();
            } else {
                Adam w = (Adam) optimizer;
                beta1 = w.beta1();
                beta2 = w.beta2();
                epsilon = w.epsilon();
                wd = 0;
            }
            Operand<TFloat32> m0 = slots.value("m", name);
            Operand<TFloat32> v0 = slots.value("v", name);
            Operand<TFloat32> m1 = tf.math.add(tf.math.mul(tf.constant((float) beta1), m0),
                    tf.math.mul(tf.constant((float) (1 - beta1)), g));
            Operand<TFloat32> v1 = tf.math.add(tf.math.mul(tf.constant((float) beta2), v0),
                    tf.math.mul(tf.math.mul(tf.constant((float) (1 - beta2)), g), g));
            out.add(new Candidate(slots.variable("m", name), m0, m1));
            out.add(new Candidate(slots.variable("v", name), v0, v1));
            Operand<TFloat32> denom = tf.dtypes.cast(tf.math.add(tf.math.div(
                    tf.math.sqrt(tf.dtypes.cast(v1, TFloat64.class)), scalars.bc2Sqrt), tf.constant(epsilon)),
                    TFloat32.class);
            Operand<TFloat32> pi = wd != 0 ? tf.math.mul(p, scalars.decay) : p;
            newP = tf.math.sub(pi, tf.math.mul(scalars.stepSize, tf.math.div(m1, denom)));
        }
        out.add(new Candidate(vars.variable(name), p, newP));
    }
}
