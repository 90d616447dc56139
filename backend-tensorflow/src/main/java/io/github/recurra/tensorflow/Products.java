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
    /** The layer's input rows {@code [T·batch, in]} when the steps add z(t) to the input side directly, else null. */
    private Operand<TFloat32> inputRows;

    /**
     * Declares that every step adds z(t) to its input-side projection directly (LSTM, RNN) and that the projection is
     * read through {@code StopGradient}: then d z(t) is also the projection's gradient, and W's and the bias'
     * gradients are made from the same rows ({@link #inputGradients}), without the graph gradients' Pack and
     * BiasAddGrad.
     *
     * @param rows the layer's input rows {@code [T·batch, in]}, time-major like the steps
     */
    void shareInputSide(Operand<TFloat32> rows) {
        this.inputRows = rows;
    }

    /** @return whether {@link #shareInputSide} was declared */
    boolean sharesInputSide() {
        return inputRows != null;
    }

    /**
     * @param tf    where to add the ops
     * @param grads d objective / d z(t) for every step, in time order (all retained: the projection of every step
     *              reaches the objective when R's products do)
     * @return dW {@code [rows, in]} and d(input-side bias) {@code [rows]}
     */
    List<Operand<TFloat32>> inputGradients(Ops tf, List<Operand<TFloat32>> grads) {
        Operand<TFloat32> dz = concatenated(tf, grads);
        // the column sums as a product with a row of ones (oneDNN), measured faster than Sum over axis 0 here
        Operand<org.tensorflow.types.TInt32> n = tf.slice(tf.shape(dz), tf.constant(new int[] {0}),
                tf.constant(new int[] {1}));
        Operand<TFloat32> ones = tf.fill(tf.concat(List.of(tf.constant(new int[] {1}), n), tf.constant(0)),
                tf.constant(1f));
        Operand<TFloat32> db = tf.reshape(tf.linalg.matMul(ones, dz), tf.constant(new int[] {-1}));
        return List.of(tf.linalg.matMul(dz, inputRows, MatMul.transposeA(true)), db);
    }

    private Operand<TFloat32> dz;

    private Operand<TFloat32> concatenated(Ops tf, List<Operand<TFloat32>> grads) {
        if (dz == null) {
            dz = grads.size() == 1 ? grads.get(0) : tf.concat(grads, tf.constant(0));
        }
        return dz;
    }

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
                if (inputRows != null) {
                    throw new IllegalStateException("a step's recurrent product of a forward first layer does not "
                            + "reach the objective; the input side cannot share its gradient (a bug in the graph)");
                }
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
        Operand<TFloat32> dz = concatenated(tf, grads);
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
