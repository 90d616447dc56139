package io.github.recurra.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.InputChecks;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Ops;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A network on ONNX Runtime. Its sessions ({@link Sessions}) are made on first use and kept until the parameters
 * change or the model closes; the standard graph without extra inputs is made at compile time, so a network ONNX
 * Runtime cannot load fails there.
 *
 * <p>Which graph a pass runs (each choice computes the same, to float32 rounding; the package documentation has the
 * measurements behind them):
 * <ul>
 *   <li>the exported standard graph, with a {@code sequence_lens} input when some example is shorter than the batch
 *       (lengths that are all full are dropped: the same computation) and initial-state inputs when states are given;
 *       </li>
 *   <li>for networks of forward RNN and GRU layers ({@link OnnxFormat#canUnroll}) and calls without lengths, the
 *       graph unrolled over the call's steps, for at most {@value #MAX_UNROLLED_LENGTHS} distinct step counts per
 *       model of at most {@value OnnxFormat#MAX_UNROLLED_STEPS} (others run the standard graph); networks with a GRU layer
 *       only from batches of 32 (below, ONNX Runtime's GRU kernel is faster; {@link Routing});</li>
 *   <li>an unrolled pass over a batch of at least 32 (GRU networks) or 64 (RNN networks) is cut into up to
 *       {@code intraOpThreads} shards of at least 16 rows that run at once on single-threaded sessions (the calling
 *       thread and the backend's workers); everything else runs whole on a session with the backend's intra-op
 *       threads (LSTM batches gain nothing from shards: ONNX Runtime's LSTM kernel uses its threads well).</li>
 * </ul>
 *
 * <p>Every pass checks its input with {@link InputChecks} (and the lengths once more, since a batch's arrays can change
 * after it was built) before anything reaches native code. Passes may run concurrently: each holds the read lock
 * while it runs, and {@link #setParameters} and {@link #close} take the write lock, so they wait for the passes in
 * flight and no session is closed under a running pass. Class probabilities are computed from the logits exactly as
 * the CPU backend computes them ({@link Ops#softmaxRows}).
 */
final class OrtModel implements Model {
    /** Distinct sequence lengths per model that get an unrolled graph (each is a session of its own). */
    static final int MAX_UNROLLED_LENGTHS = 4;

    private final OnnxBackend backend;
    private final Network network;
    private final Parameters params;
    private final boolean unrollable;
    private final boolean gru;
    private final Routing routing;
    private final boolean seqOut;
    private final Head head;
    private final boolean perStep;
    private final Sessions sessions;
    /** The sequence lengths that have an unrolled graph; guarded by itself. */
    private final List<Integer> unrolledLengths = new ArrayList<>();
    private final BufferPool buffers;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Why the model is closed, or null while open; written under the write lock. */
    private volatile String closed;

    OrtModel(OnnxBackend backend, Network network, Parameters parameters) {
        this.backend = backend;
        this.network = network;
        this.params = parameters.copy();
        this.unrollable = backend.options().unrolled() && OnnxFormat.canUnroll(network);
        this.gru = network.layers().stream().anyMatch(s -> s.cell() instanceof GruCell);
        this.routing = backend.routing();
        this.seqOut = network.layers().get(network.layers().size() - 1).returnSequences();
        this.head = network.head().orElse(null);
        this.perStep = head != null && head.target() == Head.Target.EVERY_STEP;
        this.buffers = new BufferPool(2 * Runtime.getRuntime().availableProcessors() + 2);
        this.sessions = new Sessions(backend.environment(), network, backend.options());
        try {
            sessions.get(new Sessions.Graph(false, false, 0, false), params);
        } catch (RuntimeException e) {
            sessions.close();
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
        String why = closed;
        if (why != null) {
            throw new IllegalStateException(why);
        }
    }

    @Override
    public Forward forward(Batch batch, States initial) {
        checkOpen();
        Objects.requireNonNull(batch, "batch");
        InputChecks.checkInputs(network, batch.inputs());
        int n = batch.size();
        int time = batch.timeSteps();
        int[] lengths = null;
        if (batch.lengths() != null) {
            backend.require(Capability.SEQUENCE_LENGTHS, "use per-example sequence lengths");
            lengths = checkedLengths(batch.lengths(), n, time);
        }
        if (initial != null) {
            backend.require(Capability.INITIAL_STATES, "start from given initial states");
            InputChecks.checkStates(network, initial, n);
        }
        Out out = new Out(n, time);
        int steps = unrolledSteps(n, lengths != null, time);
        int shards = steps > 0 ? routing.shards(n, gru, backend.options().intraOpThreads()) : 1;
        Sessions.Graph graph = new Sessions.Graph(lengths != null, initial != null, steps, shards > 1);
        int bytes = passBytes((n + shards - 1) / shards, time, lengths != null, initial != null);
        Tensor x = batch.inputs();
        int[] lens = lengths;
        lock.readLock().lock();
        try {
            checkOpen();
            OrtSession s = sessions.get(graph, params);
            if (shards == 1) {
                pass(s, x, lens, initial, 0, n, out, bytes);
            } else {
                backend.runShards(shards, i -> {
                    int from = (int) ((long) n * i / shards);
                    int to = (int) ((long) n * (i + 1) / shards);
                    pass(s, x, lens, initial, from, to - from, out, bytes);
                });
            }
        } finally {
            lock.readLock().unlock();
        }
        return out.forward();
    }

    /**
     * A copy of the lengths, checked again (a {@link Batch} checks them when built, but its array can change after),
     * or null when every example uses every step: that is the same computation, and runs without a lengths input.
     */
    private static int[] checkedLengths(int[] given, int n, int time) {
        int[] lengths = given.clone();
        Batch.checkLengths(lengths, n, time);
        for (int l : lengths) {
            if (l != time) {
                return lengths;
            }
        }
        return null;
    }

    /** Steps to unroll a pass over, or 0 for the standard graph. */
    private int unrolledSteps(int n, boolean lengths, int time) {
        if (!unrollable || lengths || time > OnnxFormat.MAX_UNROLLED_STEPS || (gru && n < routing.gruUnrollFrom())) {
            return 0;
        }
        synchronized (unrolledLengths) {
            if (unrolledLengths.contains(time)) {
                return time;
            }
            if (unrolledLengths.size() < MAX_UNROLLED_LENGTHS) {
                unrolledLengths.add(time);
                return time;
            }
        }
        return 0;
    }

    /**
     * The bytes of one pass's inputs and outputs over {@code rows} rows; fails before any native call if they do not
     * fit one buffer, or if the results do not fit a tensor.
     */
    private int passBytes(int rows, int time, boolean lengths, boolean initial) {
        long bytes = Pass.bytes((long) rows * time * network.inputSize());
        if (lengths) {
            bytes += Pass.bytes(rows);
        }
        long states = 0;
        for (Sequence s : network.layers()) {
            long one = Pass.bytes((long) s.direction().count() * rows * s.cell().hiddenSize());
            states += s.cell().hasCellState() ? 2 * one : one;
        }
        bytes += initial ? 2 * states : states;
        bytes += Pass.bytes((long) rows * (seqOut ? time : 1) * network.outputSize());
        if (head != null) {
            bytes += Pass.bytes((long) rows * (perStep ? time : 1) * head.outputs());
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a pass over " + rows + " sequences of " + time + " steps needs "
                    + bytes + " bytes of inputs and outputs, more than one ONNX Runtime pass of this backend takes "
                    + "(2 GiB); split the batch");
        }
        return (int) bytes;
    }

    /** The results of a pass over the whole batch, filled shard by shard. */
    private final class Out {
        final int n;
        final int time;
        final Tensor output;
        final Tensor logits;
        final List<Tensor> hidden = new ArrayList<>();
        final List<Tensor> cell = new ArrayList<>();

        /** @throws IllegalArgumentException if a result has too many elements for a tensor */
        Out(int n, int time) {
            this.n = n;
            this.time = time;
            int f = network.outputSize();
            this.output = seqOut ? Tensor.zeros(n, time, f) : Tensor.zeros(n, f);
            this.logits = head == null ? null
                    : perStep ? Tensor.zeros(n, time, head.outputs()) : Tensor.zeros(n, head.outputs());
            for (Sequence s : network.layers()) {
                int[] shape = {s.direction().count(), n, s.cell().hiddenSize()};
                hidden.add(Tensor.zeros(shape));
                cell.add(s.cell().hasCellState() ? Tensor.zeros(shape) : null);
            }
        }

        Forward forward() {
            return new Forward(output, new States(hidden, cell), logits,
                    logits == null ? null : head.predictions(logits));
        }
    }

    /** Runs rows [from, from + rows) of the batch, writing their results into {@code out}. */
    private void pass(OrtSession session, Tensor x, int[] lengths, States initial, int from, int rows, Out out,
            int bytes) {
        int n = out.n;
        int time = out.time;
        int features = network.inputSize();
        try (Pass p = new Pass(backend.environment(), buffers, bytes)) {
            p.floats(OnnxNames.INPUT, x.data(), from * time * features, new long[] {rows, time, features});
            if (lengths != null) {
                p.ints(OnnxNames.SEQUENCE_LENS, lengths, from, new long[] {rows});
            }
            for (int k = 0; k < network.layers().size(); k++) {
                Sequence s = network.layers().get(k);
                int dirs = s.direction().count();
                int h = s.cell().hiddenSize();
                long[] shape = {dirs, rows, h};
                if (initial != null) {
                    p.floats(OnnxNames.initialH(k), initial.hidden().get(k).data(), from * h, n * h, dirs, rows * h,
                            shape);
                    if (s.cell().hasCellState()) {
                        Tensor c = initial.cell().get(k);
                        if (c == null) {
                            p.zeros(OnnxNames.initialC(k), shape);
                        } else {
                            p.floats(OnnxNames.initialC(k), c.data(), from * h, n * h, dirs, rows * h, shape);
                        }
                    }
                }
                p.output(OnnxNames.finalH(k), shape);
                if (s.cell().hasCellState()) {
                    p.output(OnnxNames.finalC(k), shape);
                }
            }
            int f = network.outputSize();
            p.output(OnnxNames.OUTPUT, seqOut ? new long[] {rows, time, f} : new long[] {rows, f});
            if (head != null) {
                int c = head.outputs();
                p.output(OnnxNames.LOGITS, perStep ? new long[] {rows, time, c} : new long[] {rows, c});
            }
            p.run(session);
            for (int k = 0; k < network.layers().size(); k++) {
                Sequence s = network.layers().get(k);
                int h = s.cell().hiddenSize();
                int dirs = s.direction().count();
                p.read(OnnxNames.finalH(k), out.hidden.get(k).data(), from * h, n * h, dirs);
                if (s.cell().hasCellState()) {
                    p.read(OnnxNames.finalC(k), out.cell.get(k).data(), from * h, n * h, dirs);
                }
            }
            p.read(OnnxNames.OUTPUT, out.output.data(), from * (seqOut ? time : 1) * f, 0, 1);
            if (head != null) {
                p.read(OnnxNames.LOGITS, out.logits.data(), from * (perStep ? time : 1) * head.outputs(), 0, 1);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + network + " on " + rows + " sequences of "
                    + time + " steps: " + e.getMessage(), e);
        }
    }

    /**
     * Without dropout, {@link #forward}; with dropout, the masks need {@link Capability#TRAINING}.
     *
     * @throws io.github.recurra.api.spi.UnsupportedCapabilityException for a network with dropout
     */
    @Override
    public Forward forwardTraining(Batch batch, States initial, long seed) {
        checkOpen();
        if (network.dropout() > 0) {
            backend.require(Capability.TRAINING, "run a training-mode forward pass with dropout");
        }
        return forward(batch, initial);
    }

    /** @throws io.github.recurra.api.spi.UnsupportedCapabilityException always: this backend does not train */
    @Override
    public LossAndGradients lossAndGradients(Batch batch, States initial, long seed) {
        checkOpen();
        backend.require(Capability.TRAINING, "compute gradients");
        throw new IllegalStateException("unreachable: backend '" + backend.name() + "' claims no training");
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        lock.readLock().lock();
        try {
            checkOpen();
            return params.copy();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the parameters: after the passes in flight, the sessions are closed; the next passes make new ones
     * from the new parameters.
     */
    @Override
    public void setParameters(Parameters parameters) {
        checkOpen();
        parameters.checkMatches(network);
        lock.writeLock().lock();
        try {
            checkOpen();
            params.copyFrom(parameters);
            sessions.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Waits for the passes in flight, then frees the sessions. Idempotent. */
    @Override
    public void close() {
        close("this model was closed; compile the network again");
        backend.forget(this);
    }

    /** Closes the model because its backend was closed. */
    void closeWithBackend() {
        close("this model's backend '" + backend.name() + "' was closed, which closed the model; compile the network "
                + "again on an open backend");
    }

    private void close(String why) {
        lock.writeLock().lock();
        try {
            if (closed != null) {
                return;
            }
            closed = why;
            try {
                sessions.close();
            } finally {
                buffers.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return the graphs that have a session now, described (for tests), sorted */
    List<String> graphs() {
        return sessions.describe();
    }

    @Override
    public String toString() {
        return "OrtModel{" + network + (closed != null ? ", closed" : "") + "}";
    }
}
