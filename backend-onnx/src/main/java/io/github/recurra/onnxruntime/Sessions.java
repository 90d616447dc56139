package io.github.recurra.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's ONNX Runtime sessions, one per {@link Graph}, made on first use from the model's current parameters and
 * kept until {@link #clear()}. Two sets of session options: one with the backend's intra-op threads and one with a
 * single thread, for the shards of a pass that runs on several threads at once. Thread-safe for concurrent
 * {@link #get}; the owner makes sure {@link #clear()} and {@link #close()} run with no pass in flight (the session
 * options stay open until every session made from them is closed).
 */
final class Sessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    /**
     * Which graph a session runs.
     *
     * @param lengths        whether it takes per-example lengths (standard graph only)
     * @param initialStates  whether it takes initial states
     * @param unrolledSteps  the steps of an {@link OnnxFormat#toUnrolledBytes unrolled graph}, or 0 for the exported standard graph
     * @param singleThreaded whether its session runs on one thread (a shard of a pass that runs on several)
     */
    record Graph(boolean lengths, boolean initialStates, int unrolledSteps, boolean singleThreaded) {
        @Override
        public String toString() {
            return (unrolledSteps > 0 ? "unrolled over " + unrolledSteps + " steps" : "standard")
                    + (lengths ? ", lengths" : "") + (initialStates ? ", initial states" : "")
                    + (singleThreaded ? ", one thread" : "");
        }
    }

    private final OrtEnvironment env;
    private final Network network;
    private final OrtSession.SessionOptions parallel;
    private final OrtSession.SessionOptions single;
    private final Map<Graph, OrtSession> sessions = new ConcurrentHashMap<>();

    /**
     * @throws IllegalStateException if ONNX Runtime refuses the options
     */
    Sessions(OrtEnvironment env, Network network, OnnxBackendModule.Options o) {
        this.env = env;
        this.network = network;
        this.parallel = options(o, o.intraOpThreads());
        try {
            this.single = o.intraOpThreads() == 1 ? parallel : options(o, 1);
        } catch (RuntimeException e) {
            parallel.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions options(OnnxBackendModule.Options o, int threads) {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(o.interOpThreads());
            so.setExecutionMode(o.interOpThreads() > 1 ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
                    : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(level(o.optimization()));
            // ONNX Runtime warns about its own graph rewrites; errors still reach the exceptions
            so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw new IllegalStateException("ONNX Runtime refused the session options " + o + ": " + e.getMessage(),
                    e);
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

    /**
     * @param graph      which graph
     * @param parameters the model's parameters (read only while no {@link #clear()} can run)
     * @return its session, made now if it is the first use
     * @throws IllegalStateException if ONNX Runtime cannot load the graph
     */
    OrtSession get(Graph graph, Parameters parameters) {
        OrtSession s = sessions.get(graph);
        return s != null ? s : sessions.computeIfAbsent(graph, g -> create(g, parameters));
    }

    private OrtSession create(Graph graph, Parameters parameters) {
        byte[] bytes = graph.unrolledSteps() > 0
                ? OnnxFormat.toUnrolledBytes(network, parameters, graph.unrolledSteps(), graph.initialStates())
                : OnnxFormat.toBytes(network, parameters, OnnxExportOptions.builder()
                        .sequenceLengths(graph.lengths()).initialStates(graph.initialStates()).finalStates(true)
                        .output(true).probabilities(false).build());
        try {
            long t0 = System.nanoTime();
            OrtSession session = env.createSession(bytes, graph.singleThreaded() ? single : parallel);
            LOG.debug("made the ONNX Runtime session of the {} graph of {} ({} bytes) in {} ms", graph, network,
                    bytes.length, (System.nanoTime() - t0) / 1_000_000);
            return session;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the " + graph + " graph of " + network + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the graphs that have a session now, described, sorted */
    List<String> describe() {
        List<String> names = new ArrayList<>();
        sessions.keySet().forEach(k -> names.add(k.toString()));
        names.sort(null);
        return names;
    }

    /** Closes every session (no pass may be in flight); the next {@link #get} makes new ones. */
    void clear() {
        IllegalStateException failure = null;
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

    /** Closes every session, then the session options. */
    @Override
    public void close() {
        try {
            clear();
        } finally {
            parallel.close();
            if (single != parallel) {
                single.close();
            }
        }
    }
}
