package io.github.recurra.tensorflow;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.InputChecks;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.HostTrainingSession;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A network on the TensorFlow backend: one {@link Graph} and one {@link Session} of its own, the parameters in
 * variables ({@link Variables}), and one graph {@link Piece} per shape class (time steps, lengths or not, inference,
 * training-mode forward or gradients), built on first use and kept; the batch axis is dynamic, so batches of any size
 * share a piece. Adding a piece to a graph whose session already ran is fine: TensorFlow's C API extends the session
 * with the new ops at the next run.
 *
 * <p>Every run feeds the inputs, 0/1 masks for lengths, initial states (zeros when none are given, so the gradients with
 * respect to them always exist), the dropout multipliers {@link io.github.recurra.api.model.Dropout} draws from the
 * seed (the CPU backend's masks, value for value) and, in training, the loss rows' weights and targets; it fetches
 * everything the call returns in one {@code Session.run}.
 *
 * <p>Threads: forward passes may run concurrently (a session run is thread-safe; pieces are built under a lock of
 * their own); gradients, parameter writes and {@link #close()} take the model's write lock.
 */
final class TfModel implements Model {
    private static final Logger LOG = LoggerFactory.getLogger(TfModel.class);
    private final TensorFlowBackend backend;
    private final Network network;
    private final Graph graph;
    private final Ops tf;
    private final Session session;
    private final Variables variables;
    /** Zero initial states fed when a caller gives none, kept across runs. */
    private final ZeroStates zeros = new ZeroStates();
    /** The pieces by shape class, guarded by itself. */
    private final Map<Piece.Key, Piece> pieces = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The native training graphs by optimizer, guarded by {@link #lock}'s write lock. */
    private final Map<Optimizer, TrainingGraph> training = new HashMap<>();
    /** Guarded by {@link #lock}'s write lock (read under either). */
    private volatile boolean closed;

    TfModel(TensorFlowBackend backend, Network network, Parameters parameters) {
        this.backend = backend;
        this.network = network;
        TensorFlowBackend.loadNativeLibrary();
        long t0 = System.nanoTime();
        this.graph = new Graph();
        try {
            this.tf = Ops.create(graph);
            this.variables = new Variables(tf.withSubScope("parameters"), network);
            this.session = new Session(graph, backend.config());
            if (LOG.isDebugEnabled()) {
                LOG.debug("made the TensorFlow graph and session of {} in {} ms (intra-op threads {}, inter-op {})",
                        network, (System.nanoTime() - t0) / 1_000_000, backend.options().intraOpThreads(),
                        backend.options().interOpThreads());
            }
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
        try {
            variables.write(session, parameters);
        } catch (RuntimeException | Error e) {
            session.close();
            graph.close();
            throw e;
        }
    }

    @Override
    public String backend() {
        return backend.name();
    }

    @Override
    public Network network() {
        return network;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this TensorFlow model was closed (by close() or by closing its backend); "
                    + "compile the network again on an open backend");
        }
    }

    /** @return the number of operations in the graph (for tests of piece reuse) */
    int graphOperations() {
        int n = 0;
        for (Iterator<?> it = graph.operations(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** @return the piece of a shape class, built on first use */
    Piece piece(Piece.Key key) {
        synchronized (pieces) {
            Piece p = pieces.get(key);
            if (p == null) {
                p = NetworkGraph.build(tf, graph, variables, network, key, "piece" + pieces.size());
                pieces.put(key, p);
            }
            return p;
        }
    }

    private void checkExtras(Batch batch, States initial) {
        if (initial != null) {
            InputChecks.checkStates(network, initial, batch.size());
        }
        if (batch.lengths() != null) {
            Batch.checkLengths(batch.lengths(), batch.size(), batch.timeSteps());
        }
    }

    @Override
    public Forward forward(Batch batch, States initial) {
        return forward(batch, initial, false, 0L);
    }

    @Override
    public Forward forwardTraining(Batch batch, States initial, long seed) {
        return forward(batch, initial, network.dropout() > 0, seed);
    }

    private Forward forward(Batch batch, States initial, boolean training, long seed) {
        checkOpen();
        InputChecks.checkInputs(network, batch.inputs());
        checkExtras(batch, initial);
        lock.readLock().lock();
        try {
            checkOpen();
            Piece.Mode mode = training ? Piece.Mode.TRAINING_FORWARD : Piece.Mode.INFERENCE;
            boolean lengths = batch.lengths() != null;
            boolean fused = FusedLstm.route(backend.options().route(), network, mode, batch.size(), lengths);
            // the route is part of the key: a fused piece (Route.FUSED) takes any batch size too
            Piece p = piece(new Piece.Key(batch.timeSteps(), lengths, mode, -1, fused));
            try (Run run = new Run(session, p, network, batch, initial, zeros, training, seed)) {
                try (Result r = run.runner().run()) {
                    Outputs o = run.outputs(r);
                    Tensor predictions = o.logits == null ? null : network.requireHead().predictions(o.logits);
                    return new Forward(o.output, o.finals, o.logits, predictions);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public LossAndGradients lossAndGradients(Batch batch, States initial, long seed) {
        checkOpen();
        Head head = network.requireHead();
        InputChecks.checkLabelled(network, batch);
        checkExtras(batch, initial);
        lock.writeLock().lock();
        try {
            checkOpen();
            Piece p = piece(new Piece.Key(batch.timeSteps(), batch.lengths() != null, Piece.Mode.TRAINING,
                    batch.size()));
            try (Run run = new Run(session, p, network, batch, initial, zeros, network.dropout() > 0, seed)) {
                run.feedLoss(head);
                Session.Runner runner = run.runner();
                p.gradients().forEach(runner::fetch);
                try (Result r = runner.run()) {
                    Outputs o = run.outputs(r);
                    int at = run.fetched();
                    Parameters grads = Parameters.empty();
                    Map<String, int[]> shapes = Parameters.shapesOf(network);
                    for (String name : variables.names()) {
                        grads.put(name, Feeds.read(r.get(at++), shapes.get(name)));
                    }
                    List<Tensor> dh = new ArrayList<>();
                    List<Tensor> dc = new ArrayList<>();
                    for (int k = 0; k < network.layers().size(); k++) {
                        int[] state = Run.stateShape(network, k, batch.size());
                        dh.add(Feeds.read(r.get(at++), state));
                        dc.add(p.c0().get(k) == null ? null : Feeds.read(r.get(at++), state));
                    }
                    double loss = Metrics.loss(head, o.logits, batch);
                    return new LossAndGradients(loss, o.logits, grads, o.finals, new States(dh, dc));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Opens the native session ({@link TfTrainingSession}: the update runs in the graph), or with
     * {@link TensorFlowBackendModule.Options#nativeTraining()} off the host session.
     */
    @Override
    public TrainingSession openTraining(Optimizer optimizer) {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        checkOpen();
        if (!backend.options().nativeTraining()) {
            return new HostTrainingSession(this, optimizer);
        }
        return exclusive(() -> {
            TrainingGraph g = training.computeIfAbsent(optimizer,
                    o -> new TrainingGraph(tf.withSubScope("training" + training.size()), o, variables));
            return new TfTrainingSession(this, optimizer, g);
        });
    }

    /** Runs {@code work} under the write lock, on an open model. */
    <T> T exclusive(Supplier<T> work) {
        checkOpen();
        lock.writeLock().lock();
        try {
            checkOpen();
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Checks a training batch and its initial states. */
    void checkTraining(Batch batch, States initial) {
        network.requireHead();
        InputChecks.checkLabelled(network, batch);
        checkExtras(batch, initial);
    }

    Session session() {
        return session;
    }

    Variables variables() {
        return variables;
    }

    @Override
    public Parameters parameters() {
        lock.readLock().lock();
        try {
            checkOpen();
            return variables.read(session);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void setParameters(Parameters parameters) {
        parameters.checkMatches(network);
        lock.writeLock().lock();
        try {
            checkOpen();
            variables.write(session, parameters);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Frees the session and the graph (after any call in flight). Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } finally {
                zeros.close();
                graph.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
        backend.closed(this);
    }

    /** @return the zero initial states runs feed when a caller gives none */
    ZeroStates zeros() {
        return zeros;
    }

    /** What every run returns. */
    record Outputs(Tensor output, States finals, Tensor logits) {
    }
}
