package io.github.recurra.tensorflow;

import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Builds the {@link Piece} of one shape class: placeholders, the stack of layers ({@link LayerGraph}) with dropout on
 * the inputs of the layers above the first, the dense head, and for training the objective
 * {@code Σ weight(n) · loss(n)} over the loss rows and its graph gradients ({@code Graph.addGradients}).
 *
 * <p>Loss rows: one per example for a last-step head, one per example and step ({@code b·T + t}) for a per-step
 * head. Softmax cross-entropy rows are {@code −Σ_c onehot · logSoftmax(logits)}, squared-error rows
 * {@code Σ_c (logits − target)²}; a row's weight is 1 / the count the mean is over (examples, valid steps, times the
 * outputs for squared error) and 0 past a length, so the gradients are those of the API's mean loss. The loss itself
 * is computed in Java from the fetched logits, in double, as the API defines it.
 */
final class NetworkGraph {

    private NetworkGraph() {
    }

    /**
     * @param root  the model's root ops
     * @param graph the model's graph
     * @param vars  the parameters
     * @param net   the network
     * @param key   the shape class
     * @param name  a sub-scope name not used before in this graph
     * @return the piece
     */
    static Piece build(Ops root, Graph graph, Variables vars, Network net, Piece.Key key, String name) {
        return build(root, graph, vars, net, key, name, null);
    }

    /**
     * As {@link #build(Ops, Graph, Variables, Network, Piece.Key, String)}, optionally reading computed operands
     * instead of placeholders (a SavedModel export). With {@code sources}, the key must be an inference key, and the
     * piece's {@code inputs} and {@code mask} are null and its {@code h0}/{@code c0} lists hold only nulls: there is
     * nothing to feed.
     *
     * @param sources what to read instead of placeholders, or null for placeholders
     */
    static Piece build(Ops root, Graph graph, Variables vars, Network net, Piece.Key key, String name,
            GraphSources sources) {
        if (sources != null && key.mode() != Piece.Mode.INFERENCE) {
            throw new IllegalArgumentException("computed sources are for inference pieces only, not " + key.mode());
        }
        Ops tf = root.withSubScope(name);
        int time = key.time();
        long b = key.batch();
        boolean dropout = key.mode() != Piece.Mode.INFERENCE && net.dropout() > 0;
        Placeholder<TFloat32> x = sources != null ? null : tf.withName("inputs").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(b, time, net.inputSize())));
        Placeholder<TFloat32> mask = null;
        List<Operand<TFloat32>> masks = null;
        List<Operand<TFloat32>> keeps = null;
        if (key.lengths()) {
            mask = sources != null ? null
                    : tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(time, b, 1)));
            masks = LayerGraph.unstack(tf, sources != null ? sources.mask() : mask, time, 0);
            keeps = new ArrayList<>();
            for (Operand<TFloat32> m : masks) {
                keeps.add(tf.math.sub(tf.constant(1f), m));
            }
        }
        List<Placeholder<TFloat32>> h0 = new ArrayList<>();
        List<Placeholder<TFloat32>> c0 = new ArrayList<>();
        List<Placeholder<TFloat32>> drop = new ArrayList<>();
        List<Operand<TFloat32>> finalH = new ArrayList<>();
        List<Operand<TFloat32>> finalC = new ArrayList<>();
        Operand<TFloat32> input = tf.linalg.transpose(sources != null ? sources.inputs() : x,
                tf.constant(new int[] {1, 0, 2}));
        int layers = net.layers().size();
        LayerGraph.Out out = null;
        boolean training = key.mode() == Piece.Mode.TRAINING;
        List<List<List<Products>>> products = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            Sequence s = net.layers().get(k);
            int in = net.layerInputSize(k);
            Shape state = Shape.of(s.direction().count(), b, s.cell().hiddenSize());
            Placeholder<TFloat32> h = sources != null ? null
                    : tf.withName("h0_" + k).placeholder(TFloat32.class, Placeholder.shape(state));
            Placeholder<TFloat32> c = sources != null || !s.cell().hasCellState() ? null
                    : tf.withName("c0_" + k).placeholder(TFloat32.class, Placeholder.shape(state));
            h0.add(h);
            c0.add(c);
            Operand<TFloat32> hIn = sources != null ? sources.h0().get(k) : h;
            Operand<TFloat32> cIn = sources != null ? sources.c0().get(k) : c;
            Placeholder<TFloat32> d = null;
            if (dropout && k > 0) {
                d = tf.withName("dropout_" + k).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(time, b, in)));
                input = tf.math.mul(input, d);
            }
            drop.add(d);
            boolean seq = k < layers - 1 || s.returnSequences();
            out = LayerGraph.build(tf.withSubScope("layer" + k), vars, k, s, in, input, time, hIn, cIn, masks, keeps,
                    seq, training, key.fused() && !training);
            products.add(out.products());
            finalH.add(out.finalH());
            finalC.add(out.finalC());
            if (k < layers - 1) {
                input = tf.stack(out.steps());
            }
        }
        Operand<TFloat32> output = out.steps() == null ? out.last()
                : tf.linalg.transpose(tf.stack(out.steps()), tf.constant(new int[] {1, 0, 2}));
        Head head = net.head().orElse(null);
        if (head == null) {
            return new Piece(key, x, mask, h0, c0, drop, output, finalH, finalC, null, null, null, null, null);
        }
        int f = net.outputSize();
        int classes = head.outputs();
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        // per step: the head on [B·T, F] rows of the batch-major output, so loss rows are b·T + t like the labels
        Operand<TFloat32> rows = perStep ? tf.reshape(output, tf.constant(new int[] {-1, f})) : output;
        Operand<TFloat32> logitRows = tf.nn.biasAdd(tf.linalg.matMul(rows, vars.value(Parameters.HEAD_W),
                MatMul.transposeB(true)), vars.value(Parameters.HEAD_B));
        Operand<TFloat32> logits = perStep
                ? tf.reshape(logitRows, tf.constant(new int[] {-1, time, classes})) : logitRows;
        if (key.mode() != Piece.Mode.TRAINING) {
            return new Piece(key, x, mask, h0, c0, drop, output, finalH, finalC, logits, null, null, null, null);
        }
        Placeholder<TFloat32> weights = tf.withName("loss_weights").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(b < 0 || !perStep ? b : b * time)));
        Placeholder<TFloat32> targets = tf.withName("targets").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(b < 0 || !perStep ? b : b * time, classes)));
        Operand<TFloat32> rowLoss = head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY
                ? tf.math.neg(tf.sum(tf.math.mul(targets, tf.nn.logSoftmax(logitRows)), tf.constant(1)))
                : tf.sum(tf.math.square(tf.math.sub(logitRows, targets)), tf.constant(1));
        Operand<TFloat32> objective = tf.sum(tf.math.mul(rowLoss, weights), tf.constant(0));
        List<Output<?>> grads = gradients(tf, graph, name, vars, net, objective, h0, c0, products);
        return new Piece(key, x, mask, h0, c0, drop, output, finalH, finalC, logits, weights, targets, objective,
                grads);
    }

    private static Output<?> reshaped(Ops tf, Operand<TFloat32> g, Variables vars, String name) {
        return tf.reshape(g, tf.constant(vars.shapes().get(name))).asOutput();
    }

    /**
     * The graph gradients of the objective: with respect to every parameter but R, the initial states and every
     * recorded recurrent product; R's gradient is then made per direction and row block from the products'
     * ({@link Products#weightGradient}).
     *
     * @return d objective / d parameter in canonical order, then per layer d / d h0 and (LSTM) d / d c0
     */
    private static List<Output<?>> gradients(Ops tf, Graph graph, String name, Variables vars, Network net,
            Operand<TFloat32> objective, List<Placeholder<TFloat32>> h0, List<Placeholder<TFloat32>> c0,
            List<List<List<Products>>> products) {
        int layers = net.layers().size();
        List<String> rs = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            rs.add(Parameters.r(k));
            own.add(Parameters.r(k));
            if (products.get(k).get(0).get(0).sharesInputSide()) {
                own.add(Parameters.w(k));
                own.add(Parameters.b(k));
            }
        }
        java.util.Map<String, Output<?>> made = new java.util.HashMap<>();
        List<Output<?>> xs = new ArrayList<>();
        for (String n : vars.names()) {
            if (!own.contains(n)) {
                xs.add(vars.value(n).asOutput());
            }
        }
        for (int k = 0; k < layers; k++) {
            xs.add(h0.get(k).asOutput());
            if (c0.get(k) != null) {
                xs.add(c0.get(k).asOutput());
            }
        }
        int firstProduct = xs.size();
        java.util.Set<String> reachable = Products.reachable((org.tensorflow.GraphOperation) objective.op());
        for (List<List<Products>> layer : products) {
            for (List<Products> dir : layer) {
                for (Products p : dir) {
                    p.retain(reachable);
                    p.outputs().forEach(z -> xs.add(z.asOutput()));
                }
            }
        }
        Output<?>[] d = graph.addGradients(name + "_gradients", new Output<?>[] {objective.asOutput()},
                xs.toArray(new Output<?>[0]), null);
        int at = firstProduct;
        for (int k = 0; k < layers; k++) {
            List<List<Products>> layer = products.get(k);
            int hh = net.layers().get(k).cell().hiddenSize();
            int gh = net.layers().get(k).cell().gates() * hh;
            List<Operand<TFloat32>> dirs = new ArrayList<>();
            for (List<Products> dir : layer) {
                List<Operand<TFloat32>> blocks = new ArrayList<>();
                for (int b = 0; b < dir.size(); b++) {
                    Products p = dir.get(b);
                    // one block is all of R's rows; a GRU with the reset before the product has z, r rows then h rows
                    int rows = dir.size() == 1 ? gh : b == 0 ? 2 * hh : hh;
                    List<Operand<TFloat32>> dz = new ArrayList<>();
                    for (int i = 0; i < p.outputs().size(); i++) {
                        @SuppressWarnings("unchecked")
                        Operand<TFloat32> g = (Operand<TFloat32>) d[at++];
                        dz.add(g);
                    }
                    blocks.add(p.weightGradient(tf, dz, rows, hh));
                    if (p.sharesInputSide()) {
                        List<Operand<TFloat32>> dwb = p.inputGradients(tf, dz);
                        made.put(Parameters.w(k), reshaped(tf, dwb.get(0), vars, Parameters.w(k)));
                        // B = [Wb, Rb]: both enter the input side as Wb + Rb
                        made.put(Parameters.b(k), reshaped(tf, tf.stack(List.of(dwb.get(1), dwb.get(1))), vars,
                                Parameters.b(k)));
                    }
                }
                dirs.add(blocks.size() == 1 ? blocks.get(0) : tf.concat(blocks, tf.constant(0)));
            }
            made.put(Parameters.r(k), tf.stack(dirs).asOutput());
        }
        List<Output<?>> out = new ArrayList<>();
        int next = 0;
        for (String n : vars.names()) {
            out.add(made.containsKey(n) ? made.get(n) : d[next++]);
        }
        for (int i = next; i < firstProduct; i++) {
            out.add(d[i]);
        }
        return out;
    }
}
