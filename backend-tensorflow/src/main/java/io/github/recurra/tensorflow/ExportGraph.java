package io.github.recurra.tensorflow;

import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The serving graph of an export: the signature's placeholders, their checks, the masks of the lengths and the zero
 * initial states computed in the graph ({@link GraphSources}), the backend's own inference piece
 * ({@link NetworkGraph}, no dropout, no training ops) and the signature's outputs as named {@code Identity} ops, in the
 * order of {@link SavedModelSignature#of}. Also the metadata signature's string constants.
 *
 * <p>Checks, each an op the outputs depend on, so a serving client gets TensorFlow's error with this message instead
 * of a wrong answer: {@code inputs} has T steps and the network's features ({@code EnsureShape}); {@code lengths} is
 * a vector with one length per sequence, each in [1, T]; fed initial states have the layer's shape and the batch's
 * size (a batch of one would otherwise broadcast).
 */
final class ExportGraph {

    private ExportGraph() {
    }

    /**
     * @param serving  the serving signature
     * @param metadata the metadata signature
     */
    record Signatures(Signature serving, Signature metadata) {
    }

    /**
     * @param graph     an empty graph
     * @param vars      the variables, already in the graph
     * @param network   the network
     * @param options   the export options
     * @param provenance the metadata signature's outputs, name to text
     * @return the signatures
     */
    static Signatures build(Graph graph, Variables vars, Network network, SavedModelExportOptions options,
            java.util.Map<String, String> provenance) {
        Ops tf = Ops.create(graph);
        Ops checks = tf.withSubScope("checks");
        int time = options.timeSteps();
        Signature.Builder sig = Signature.builder().key(options.signatureKey());
        Placeholder<TFloat32> x = tf.withName(SavedModelSignature.INPUTS).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, time, network.inputSize())));
        sig.input(SavedModelSignature.INPUTS, x);
        Operand<TFloat32> inputs = checks.withName("inputs_shape").ensureShape(x,
                Shape.of(-1, time, network.inputSize()));
        Operand<TInt32> batch = checks.gather(tf.shape(inputs), tf.constant(0), tf.constant(0));
        Operand<TFloat32> mask = null;
        if (options.lengths()) {
            Placeholder<TInt32> lengths = tf.withName(SavedModelSignature.LENGTHS).placeholder(TInt32.class,
                    Placeholder.shape(Shape.of(-1)));
            sig.input(SavedModelSignature.LENGTHS, lengths);
            mask = mask(tf, checks, lengths, batch, time);
        }
        List<Operand<TFloat32>> h0 = new ArrayList<>();
        List<Operand<TFloat32>> c0 = new ArrayList<>();
        for (int k = 0; k < network.layers().size(); k++) {
            Sequence s = network.layers().get(k);
            int dirs = s.direction().count();
            int hidden = s.cell().hiddenSize();
            h0.add(state(tf, checks, sig, SavedModelSignature.initialH(k), dirs, hidden, batch, options));
            c0.add(s.cell().hasCellState()
                    ? state(tf, checks, sig, SavedModelSignature.initialC(k), dirs, hidden, batch, options) : null);
        }
        Piece p = NetworkGraph.build(tf, graph, vars, network, new Piece.Key(time, options.lengths(),
                Piece.Mode.INFERENCE), "network", new GraphSources(inputs, mask, h0, c0));
        output(tf, sig, SavedModelSignature.OUTPUT, p.output());
        for (int k = 0; k < network.layers().size(); k++) {
            output(tf, sig, SavedModelSignature.finalH(k), p.finalH().get(k));
            if (p.finalC().get(k) != null) {
                output(tf, sig, SavedModelSignature.finalC(k), p.finalC().get(k));
            }
        }
        Head head = network.head().orElse(null);
        if (head != null) {
            output(tf, sig, SavedModelSignature.LOGITS, p.logits());
            Operand<TFloat32> predictions = head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY
                    ? tf.nn.softmax(p.logits()) : p.logits();
            output(tf, sig, SavedModelSignature.PREDICTIONS, predictions);
        }
        Signature.Builder meta = Signature.builder().key(SavedModelExportOptions.METADATA_SIGNATURE_KEY);
        Ops m = tf.withSubScope("recurra");
        provenance.forEach((name, text) -> meta.output(name, m.withName(name).constant(text)));
        return new Signatures(sig.build(), meta.build());
    }

    /** The 0/1 masks {@code [T, batch, 1]}: step t of sequence i is valid when t < lengths[i]; after the checks. */
    private static Operand<TFloat32> mask(Ops tf, Ops checks, Operand<TInt32> lengths, Operand<TInt32> batch,
            int time) {
        Operand<TInt32> shaped = checks.withName("lengths_shape").ensureShape(lengths, Shape.of(-1));
        Operand<TBool> sameBatch = checks.math.equal(tf.size(shaped), batch);
        Operand<TBool> inRange = checks.all(checks.math.logicalAnd(
                checks.math.greaterEqual(shaped, tf.constant(1)), checks.math.lessEqual(shaped, tf.constant(time))),
                tf.constant(0));
        Op sizeCheck = checks.withName("lengths_count").assertThat(sameBatch, List.of(
                tf.constant("lengths must give one length per sequence: sequences, lengths ="), batch,
                tf.size(shaped)));
        Op rangeCheck = checks.withName("lengths_range").withControlDependencies(sizeCheck).assertThat(inRange,
                List.of(tf.constant("every length must be between 1 and the " + time + " steps this model was "
                        + "exported for (pad shorter sequences); lengths ="), shaped));
        Operand<TInt32> steps = tf.reshape(tf.range(tf.constant(0), tf.constant(time), tf.constant(1)),
                tf.constant(new int[] {time, 1}));
        Operand<TFloat32> valid = tf.dtypes.cast(tf.math.less(steps,
                tf.reshape(shaped, tf.constant(new int[] {1, -1}))), TFloat32.class);
        return tf.withControlDependencies(sizeCheck, rangeCheck).withName("mask")
                .reshape(valid, tf.constant(new int[] {time, -1, 1}));
    }

    /** A layer's initial state: zeros of the batch's size, or an optional input defaulting to them. */
    private static Operand<TFloat32> state(Ops tf, Ops checks, Signature.Builder sig, String name, int dirs,
            int hidden, Operand<TInt32> batch, SavedModelExportOptions options) {
        Operand<TFloat32> zeros = tf.withName(name + "_zeros").fill(tf.stack(List.of(tf.constant(dirs), batch,
                tf.constant(hidden))), tf.constant(0f));
        if (!options.initialStates()) {
            return zeros;
        }
        Operand<TFloat32> in = tf.withName(name).placeholderWithDefault(zeros, Shape.of(dirs, -1, hidden));
        sig.input(name, in);
        Operand<TFloat32> shaped = checks.withName(name + "_shape").ensureShape(in, Shape.of(dirs, -1, hidden));
        Op sameBatch = checks.withName(name + "_batch").assertThat(checks.math.equal(
                checks.gather(tf.shape(shaped), tf.constant(1), tf.constant(0)), batch), List.of(
                tf.constant(name + " must have one state per sequence (axis 1): sequences, states ="), batch,
                checks.gather(tf.shape(shaped), tf.constant(1), tf.constant(0))));
        return tf.withControlDependencies(sameBatch).withName(name + "_checked").identity(shaped);
    }

    private static void output(Ops tf, Signature.Builder sig, String name, Operand<TFloat32> value) {
        sig.output(name, tf.withName(name).identity(value));
    }
}
