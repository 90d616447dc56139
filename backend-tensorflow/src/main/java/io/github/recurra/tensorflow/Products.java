package io.github.recurra.tensorflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The recurrent products {@code z(t) = a(t) · Rᵀ} of one weight block over all steps of one direction, recorded in a
 * training piece so that the weight's gradient is one product over all steps, {@code dR = [dz(1); …; dz(T)]ᵀ ·
 * [a(1); …; a(T)]} (K = T·batch: one efficient MatMul instead of T small ones and their AddN). The steps read the
 * block through {@code StopGradient}, so the graph gradients do not make the per-step products; they are asked for
 * d objective / d z(t) instead ({@link #outputs()}), which still carries the gradient on to a(t) and the steps
 * before.
 */
final class Products {
    private final List<Operand<TFloat32>> inputs = new ArrayList<>();
    private final List<Operand<TFloat32>> outputs = new ArrayList<>();

    /**
     * @param tf where to add the op
     * @param a  {@code [batch, H]} (or the reset-gated state)
     * @param r  the block transposed, {@code Rᵀ [H, rows]}, read through {@code StopGradient} when recording
     * @param p  the recorder, or null outside training pieces
     * @return {@code a · Rᵀ}
     */
    static Operand<TFloat32> product(Ops tf, Operand<TFloat32> a, Operand<TFloat32> r, Products p) {
        Operand<TFloat32> z = tf.linalg.matMul(a, r);
        if (p != null) {
            p.inputs.add(a);
            p.outputs.add(z);
        }
        return z;
    }

    /**
     * Keeps only the products the objective depends on (TensorFlow refuses gradients with respect to the others,
     * whose gradient is zero anyway).
     *
     * @param reachable the names of the operations the objective depends on, not through {@code StopGradient}
     */
    void retain(Set<String> reachable) {
        for (int i = outputs.size() - 1; i >= 0; i--) {
            if (!reachable.contains(outputs.get(i).op().name())) {
                outputs.remove(i);
                inputs.remove(i);
            }
        }
    }

    /** @return every (retained) step's product output, in the order recorded */
    List<Operand<TFloat32>> outputs() {
        return outputs;
    }

    /**
     * @param tf    where to add the ops
     * @param grads d objective / d z(t) for each of {@link #outputs()}, in order
     * @param rows  the block's rows
     * @param cols  the block's columns (H)
     * @return the block's gradient {@code [rows, H]}
     */
    Operand<TFloat32> weightGradient(Ops tf, List<Operand<TFloat32>> grads, int rows, int cols) {
        if (grads.isEmpty()) {
            return tf.zeros(tf.constant(new int[] {rows, cols}), TFloat32.class);
        }
        Operand<TFloat32> dz = grads.size() == 1 ? grads.get(0) : tf.concat(grads, tf.constant(0));
        Operand<TFloat32> a = inputs.size() == 1 ? inputs.get(0) : tf.concat(inputs, tf.constant(0));
        return tf.linalg.matMul(dz, a, MatMul.transposeA(true));
    }

    /**
     * @param root an operation
     * @return the names of it and every operation it depends on through data inputs, not passing through
     *     {@code StopGradient}
     */
    static Set<String> reachable(GraphOperation root) {
        Set<String> seen = new HashSet<>();
        Deque<GraphOperation> todo = new ArrayDeque<>();
        todo.add(root);
        seen.add(root.name());
        while (!todo.isEmpty()) {
            GraphOperation op = todo.pop();
            if ("StopGradient".equals(op.type())) {
                continue;
            }
            for (int i = 0; i < op.numInputs(); i++) {
                GraphOperation in = (GraphOperation) op.input(i).op();
                if (seen.add(in.name())) {
                    todo.push(in);
                }
            }
        }
        return seen;
    }
}
