package io.github.recurra.tensorflow;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Dropout;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The feeds of one run of a {@link Piece}, as TensorFlow tensors that {@link #close()} frees, and the reading of what
 * the run fetched: the output, every layer's final states and the logits, in that order, then whatever the caller
 * fetched after them.
 */
final class Run implements AutoCloseable {
    private final Session session;
    private final Piece piece;
    private final Network network;
    private final Batch batch;
    private final List<TFloat32> tensors = new ArrayList<>();
    private final List<Feed> feeds = new ArrayList<>();
    private int fetched;
    private boolean withOutput = true;

    private record Feed(Placeholder<TFloat32> placeholder, TFloat32 tensor) {
    }

    /**
     * Makes the feeds of the forward part.
     *
     * @param session  the model's session
     * @param piece    the piece to run
     * @param network  the network
     * @param batch    inputs and lengths (checked)
     * @param initial  initial states (checked), or null for zeros
     * @param zeros    the model's zero states, fed where {@code initial} gives none
     * @param dropout  whether to feed the dropout masks of {@code seed}
     * @param seed     the dropout seed
     */
    Run(Session session, Piece piece, Network network, Batch batch, States initial, ZeroStates zeros,
            boolean dropout, long seed) {
        this.session = session;
        this.piece = piece;
        this.network = network;
        this.batch = batch;
        boolean ok = false;
        try {
            int b = batch.size();
            int time = batch.timeSteps();
            feed(piece.inputs(), batch.inputs().data(), b, time, network.inputSize());
            if (piece.mask() != null) {
                float[] m = new float[time * b];
                for (int t = 0; t < time; t++) {
                    for (int i = 0; i < b; i++) {
                        m[t * b + i] = t < batch.length(i) ? 1f : 0f;
                    }
                }
                feed(piece.mask(), m, time, b, 1);
            }
            for (int k = 0; k < network.layers().size(); k++) {
                int[] shape = stateShape(network, k, b);
                Tensor h = initial == null ? null : initial.hidden().get(k);
                feedState(piece.h0().get(k), h, zeros, shape);
                if (piece.c0().get(k) != null) {
                    feedState(piece.c0().get(k), initial == null ? null : initial.cell().get(k), zeros, shape);
                }
                if (piece.dropout().get(k) != null) {
                    if (!dropout) {
                        throw new IllegalStateException("a training piece without dropout masks");
                    }
                    int in = network.layerInputSize(k);
                    float[][] steps = new float[time][b * in];
                    for (int i = 0; i < b; i++) {
                        Dropout.fill(network.dropout(), seed, k, i, steps, i * in, in);
                    }
                    float[] flat = new float[time * b * in];
                    for (int t = 0; t < time; t++) {
                        System.arraycopy(steps[t], 0, flat, t * b * in, b * in);
                    }
                    feed(piece.dropout().get(k), flat, time, b, in);
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /** @return {@code [dirs, batch, hidden]} of layer k */
    static int[] stateShape(Network network, int k, int batch) {
        Sequence s = network.layers().get(k);
        return new int[] {s.direction().count(), batch, s.cell().hiddenSize()};
    }

    /** Feeds a given state, or the shared zeros (not this run's to close) where there is none. */
    private void feedState(Placeholder<TFloat32> p, Tensor state, ZeroStates zeros, int[] shape) {
        if (state == null) {
            feeds.add(new Feed(p, zeros.of(shape)));
        } else {
            feed(p, state.data(), shape);
        }
    }

    private void feed(Placeholder<TFloat32> p, float[] data, int... shape) {
        TFloat32 t = Feeds.tensor(data, shape);
        tensors.add(t);
        feeds.add(new Feed(p, t));
    }

    /**
     * Adds the loss rows' weights and targets: rows past an example's length get weight 0 and no target.
     *
     * @param head the head (the batch's labels or targets checked against it)
     */
    void feedLoss(Head head) {
        int b = batch.size();
        int time = batch.timeSteps();
        int classes = head.outputs();
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        int rows = perStep ? b * time : b;
        float[] weights = new float[rows];
        long count = 0;
        for (int n = 0; n < rows; n++) {
            if (!perStep || n % time < batch.length(n / time)) {
                weights[n] = 1f;
                count++;
            }
        }
        boolean mse = head.loss() == Head.Loss.MEAN_SQUARED_ERROR;
        float scale = (float) (1.0 / ((double) count * (mse ? classes : 1)));
        float[] targets;
        if (mse) {
            targets = batch.requireTargets().data();
        } else {
            targets = new float[rows * classes];
            int[] labels = batch.requireLabels();
            for (int n = 0; n < rows; n++) {
                if (weights[n] != 0f) {
                    targets[n * classes + labels[n]] = 1f;
                }
            }
        }
        for (int n = 0; n < rows; n++) {
            weights[n] *= scale;
        }
        feed(piece.weights(), weights, rows);
        feed(piece.targets(), targets, rows, classes);
    }

    /** @return a runner with every feed and the forward fetches */
    Session.Runner runner() {
        return runner(true);
    }

    /**
     * @param output whether to fetch the last layer's output (a training step needs only the logits and states)
     * @return a runner with every feed and the forward fetches
     */
    Session.Runner runner(boolean output) {
        Session.Runner r = session.runner();
        for (Feed f : feeds) {
            r.feed(f.placeholder(), f.tensor());
        }
        withOutput = output;
        fetched = 0;
        if (output) {
            r.fetch(piece.output());
            fetched = 1;
        }
        for (int k = 0; k < network.layers().size(); k++) {
            r.fetch(piece.finalH().get(k));
            fetched++;
            if (piece.finalC().get(k) != null) {
                r.fetch(piece.finalC().get(k));
                fetched++;
            }
        }
        if (piece.logits() != null) {
            r.fetch(piece.logits());
            fetched++;
        }
        return r;
    }

    /** @return how many fetches {@link #runner()} added (the caller's own come after) */
    int fetched() {
        return fetched;
    }

    /**
     * @param r the run's result (not closed here)
     * @return the forward fetches as API tensors (the output null if {@link #runner(boolean)} did not fetch it)
     */
    TfModel.Outputs outputs(Result r) {
        int b = batch.size();
        int time = batch.timeSteps();
        int f = network.outputSize();
        boolean seq = network.layers().get(network.layers().size() - 1).returnSequences();
        int at = 0;
        Tensor output = !withOutput ? null
                : seq ? Feeds.read(r.get(at++), b, time, f) : Feeds.read(r.get(at++), b, f);
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        for (int k = 0; k < network.layers().size(); k++) {
            int[] shape = stateShape(network, k, b);
            h.add(Feeds.read(r.get(at++), shape));
            c.add(piece.finalC().get(k) == null ? null : Feeds.read(r.get(at++), shape));
        }
        Tensor logits = null;
        if (piece.logits() != null) {
            Head head = network.requireHead();
            logits = head.target() == Head.Target.EVERY_STEP ? Feeds.read(r.get(at), b, time, head.outputs())
                    : Feeds.read(r.get(at), b, head.outputs());
        }
        return new TfModel.Outputs(output, new States(h, c), logits);
    }

    /** Frees every tensor fed. */
    @Override
    public void close() {
        tensors.forEach(TFloat32::close);
        tensors.clear();
    }
}
