package io.github.recurra.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
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
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A network on ONNX Runtime. It owns its sessions, one per graph variant, made on first use and kept until the
 * parameters change or the model closes: the exported standard graph with or without a {@code sequence_lens} input
 * and with or without initial-state inputs, and, where {@link UnrolledGraph} computes the same, graphs unrolled over
 * a fixed number of steps (for at most {@value #MAX_UNROLLED_LENGTHS} distinct sequence lengths of at most
 * {@value UnrolledGraph#MAX_STEPS} steps; other lengths run on the standard graph). The standard graph without extra
 * inputs is made at compile time, so a network ONNX Runtime cannot load fails there.
 *
 * <p>Every pass checks its input with {@link InputChecks} (and the lengths once more, since a batch's arrays can change
 * after it was built) before anything reaches native code. Passes may run concurrently: each holds the read lock
 * while it runs, and {@link #setParameters} and {@link #close} take the write lock, so they wait for the passes in
 * flight and no session is closed under a running pass. Results equal the CPU backend's within rounding; class
 * probabilities are computed from the logits exactly as the CPU backend computes them ({@link Ops#softmaxRows}).
 */
final class OrtModel implements Model {
    /** Distinct sequence lengths per model that get an unrolled graph (each is a session of its own). */
    static final int MAX_UNROLLED_LENGTHS = 4;

    private final OnnxBackend backend;
    private final Network network;
    private final Parameters params;
    private final boolean unrollable;
    private final boolean seqOut;
    private final Head head;
    private final boolean perStep;
    private final OrtSession.SessionOptions sessionOptions;
    private final Map<GraphKey, OrtSession> sessions = new ConcurrentHashMap<>();
    /** The sequence lengths that have an unrolled graph; guarded by itself. */
    private final List<Integer> unrolledLengths = new ArrayList<>();
    private final BufferPool buffers;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Why the model is closed, or null while open; written under the write lock. */
    private volatile String closed;

    /** Which graph a session runs. */
    private record GraphKey(boolean lengths, boolean initialStates, int unrolledSteps) {
        @Override
        public String toString() {
            return (unrolledSteps > 0 ? "unrolled over " + unrolledSteps + " steps" : "standard")
                    + (lengths ? ", lengths" : "") + (initialStates ? ", initial states" : "");
        }
    }

    OrtModel(OnnxBackend backend, Network network, Parameters parameters) {
        this.backend = backend;
        this.network = network;
        this.params = parameters.copy();
        OnnxBackendModule.Options o = backend.options();
        this.unrollable = o.unrolled() && UnrolledGraph.supports(network);
        Sequence top = network.layers().get(network.layers().size() - 1);
        this.seqOut = top.returnSequences();
        this.head = network.head().orElse(null);
        this.perStep = head != null && head.target() == Head.Target.EVERY_STEP;
        this.buffers = new BufferPool(2 * Runtime.getRuntime().availableProcessors() + 2);
        try {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            try {
                so.setIntraOpNumThreads(o.intraOpThreads());
                so.setInterOpNumThreads(o.interOpThreads());
                so.setExecutionMode(o.interOpThreads() > 1 ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
                        : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                so.setOptimizationLevel(level(o.optimization()));
                so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            } catch (OrtException | RuntimeException e) {
                so.close();
                throw e;
            }
            this.sessionOptions = so;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the session options " + o + ": " + e.getMessage(),
                    e);
        }
        try {
            session(new GraphKey(false, false, 0));
        } catch (RuntimeException e) {
            sessionOptions.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions.OptLevel level(OnnxBackendModule.Optimization o) {
        switch (o) {
            case NONE: return OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC: return OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED: return OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            default: return OrtSession.SessionOptions.OptLevel.ALL_OPT;
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

    /** The session of a graph variant, made on first use (callers hold the read lock). */
    private OrtSession session(GraphKey key) {
        OrtSession s = sessions.get(key);
        return s != null ? s : sessions.computeIfAbsent(key, this::newSession);
    }

    private OrtSession newSession(GraphKey key) {
        byte[] graph = key.unrolledSteps > 0
                ? UnrolledGraph.build(network, params, key.unrolledSteps, key.initialStates)
                : OnnxFormat.toBytes(network, params, OnnxExportOptions.builder().sequenceLengths(key.lengths)
                        .initialStates(key.initialStates).finalStates(true).output(true).probabilities(false)
                        .build());
        try {
            return backend.environment().createSession(graph, sessionOptions);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the graph of " + network + " ("
                    + key + "): " + e.getMessage(), e);
        }
    }

    /** Steps to unroll a call over, or 0 for the standard graph. */
    private int unrolledSteps(boolean lengths, int time) {
        if (!unrollable || lengths || time > UnrolledGraph.MAX_STEPS) {
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
        long bytes = passBytes(n, time, lengths != null, initial != null);
        lock.readLock().lock();
        try {
            checkOpen();
            OrtSession s = session(new GraphKey(lengths != null, initial != null,
                    unrolledSteps(lengths != null, time)));
            return run(s, batch.inputs(), lengths, initial, n, time, (int) bytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A copy of the lengths, checked again (a {@link Batch} checks them when built, but its array can change after),
     * or null when every example uses every step: that is the same computation, and runs without a lengths input.
     */
    private static int[] checkedLengths(int[] given, int n, int time) {
        int[] lengths = given.clone();
        if (lengths.length != n) {
            throw new IllegalArgumentException("the batch has " + n + " sequences but " + lengths.length
                    + " lengths; give one length per sequence");
        }
        boolean full = true;
        for (int i = 0; i < n; i++) {
            if (lengths[i] < 1 || lengths[i] > time) {
                throw new IllegalArgumentException("length " + lengths[i] + " of example " + i + " is outside [1, "
                        + time + "]: the batch has " + time + " steps");
            }
            full &= lengths[i] == time;
        }
        return full ? null : lengths;
    }

    /** The bytes of one pass's inputs and outputs; fails before any native call if they do not fit one buffer. */
    private long passBytes(int n, int time, boolean lengths, boolean initial) {
        long bytes = Pass.bytes((long) n * time * network.inputSize());
        if (lengths) {
            bytes += Pass.bytes(n);
        }
        long states = 0;
        for (Sequence s : network.layers()) {
            long one = Pass.bytes((long) s.direction().count() * n * s.cell().hiddenSize());
            states += s.cell().hasCellState() ? 2 * one : one;
        }
        bytes += initial ? 2 * states : states;
        bytes += Pass.bytes((long) n * (seqOut ? time : 1) * network.outputSize());
        if (head != null) {
            bytes += Pass.bytes((long) n * (perStep ? time : 1) * head.outputs());
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + n + " sequences of " + time + " steps needs " + bytes
                    + " bytes of inputs and outputs, more than one ONNX Runtime pass of this backend takes (2 GiB); "
                    + "split the batch");
        }
        return bytes;
    }

    private Forward run(OrtSession session, Tensor x, int[] lengths, States initial, int n, int time, int bytes) {
        int layers = network.layers().size();
        try (Pass p = new Pass(backend.environment(), buffers, bytes)) {
            p.floats(OnnxNames.INPUT, x.data(), new long[] {n, time, network.inputSize()});
            if (lengths != null) {
                p.ints(OnnxNames.SEQUENCE_LENS, lengths, new long[] {n});
            }
            for (int k = 0; k < layers; k++) {
                Sequence s = network.layers().get(k);
                long[] shape = {s.direction().count(), n, s.cell().hiddenSize()};
                if (initial != null) {
                    p.floats(OnnxNames.initialH(k), initial.hidden().get(k).data(), shape);
                    if (s.cell().hasCellState()) {
                        Tensor c = initial.cell().get(k);
                        if (c == null) {
                            p.zeros(OnnxNames.initialC(k), shape);
                        } else {
                            p.floats(OnnxNames.initialC(k), c.data(), shape);
                        }
                    }
                }
                p.output(OnnxNames.finalH(k), shape);
                if (s.cell().hasCellState()) {
                    p.output(OnnxNames.finalC(k), shape);
                }
            }
            int f = network.outputSize();
            int[] outShape = seqOut ? new int[] {n, time, f} : new int[] {n, f};
            p.output(OnnxNames.OUTPUT, longs(outShape));
            int[] logitShape = null;
            if (head != null) {
                logitShape = perStep ? new int[] {n, time, head.outputs()} : new int[] {n, head.outputs()};
                p.output(OnnxNames.LOGITS, longs(logitShape));
            }
            p.run(session);
            List<Tensor> hs = new ArrayList<>();
            List<Tensor> cs = new ArrayList<>();
            for (int k = 0; k < layers; k++) {
                Sequence s = network.layers().get(k);
                int[] shape = {s.direction().count(), n, s.cell().hiddenSize()};
                hs.add(Tensor.wrap(p.read(OnnxNames.finalH(k)), shape));
                cs.add(s.cell().hasCellState() ? Tensor.wrap(p.read(OnnxNames.finalC(k)), shape) : null);
            }
            Tensor output = Tensor.wrap(p.read(OnnxNames.OUTPUT), outShape);
            Tensor logits = null;
            Tensor predictions = null;
            if (head != null) {
                logits = Tensor.wrap(p.read(OnnxNames.LOGITS), logitShape);
                predictions = logits.copy();
                if (head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY) {
                    Ops.softmaxRows(logits.data(), logits.size() / head.outputs(), head.outputs(),
                            predictions.data());
                }
            }
            return new Forward(output, new States(hs, cs), logits, predictions);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + network + " on a batch of " + n
                    + " sequences of " + time + " steps: " + e.getMessage(), e);
        }
    }

    private static long[] longs(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
        }
        return l;
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
            closeSessions();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes every session; callers hold the write lock. */
    private void closeSessions() {
        RuntimeException failure = null;
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException | RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("ONNX Runtime failed to close a session: " + e.getMessage(),
                            e);
                }
            }
        }
        sessions.clear();
        if (failure != null) {
            throw failure;
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
                closeSessions();
            } finally {
                sessionOptions.close();
                buffers.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return the graphs that have a session now, described (for tests), sorted */
    List<String> graphs() {
        List<String> names = new ArrayList<>();
        sessions.keySet().forEach(k -> names.add(k.toString()));
        names.sort(null);
        return names;
    }

    @Override
    public String toString() {
        return "OrtModel{" + network + (closed != null ? ", closed" : "") + "}";
    }
}
