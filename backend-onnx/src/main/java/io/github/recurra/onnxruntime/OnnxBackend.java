package io.github.recurra.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime backend: inference only. {@link #compile} exports the network in memory with the format module's
 * exporter and runs it in ONNX Runtime sessions that the model owns (see {@link OrtModel}). The backend itself holds
 * its options and, once a pass first runs in shards, {@code intraOpThreads − 1} worker threads.
 *
 * <p>What {@link #close()} releases: every model compiled here that is still open is closed (each waits for the passes
 * in flight on it, then frees its sessions, their thread pools and native memory), and the worker threads end;
 * afterwards {@link #compile} and every call on those models fail with {@link IllegalStateException} saying the backend
 * was closed. What it does not release: ONNX Runtime's {@link OrtEnvironment} and its native library, which ONNX
 * Runtime's Java binding keeps for the life of the JVM and shares between every user in it (its {@code close()} does
 * nothing), and the empty {@code /tmp/onnxruntime-java*} folder the binding leaves behind.
 */
final class OnnxBackend implements Backend {
    static final String NAME = "onnx";
    private static final Logger LOG = LoggerFactory.getLogger(OnnxBackend.class);

    /** Everything the exported graph computes; no training (no gradients in ONNX Runtime's inference build). */
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.complementOf(
            EnumSet.of(Capability.TRAINING)));

    private final OnnxBackendModule.Options options;
    private final Routing routing;
    private final OrtEnvironment environment;
    /** The open models, guarded by this; null once closed. */
    private Set<OrtModel> open = new LinkedHashSet<>();
    /** Threads that run the other shards of a sharded pass, made on first use; guarded by this. */
    private ExecutorService workers;

    OnnxBackend(OnnxBackendModule.Options options) {
        this(options, Routing.MEASURED);
    }

    /** With another routing of the unrolled graphs (tests run the kit with {@link Routing#EVERYWHERE}). */
    OnnxBackend(OnnxBackendModule.Options options, Routing routing) {
        this.options = options;
        this.routing = routing;
        // the JVM-wide environment as anyone else gets it (asking for another name or level only logs a warning);
        // each session sets its own log level
        long t0 = System.nanoTime();
        this.environment = OrtEnvironment.getEnvironment();
        if (LOG.isDebugEnabled()) {
            LOG.debug("created backend onnx with {}, routing {}; ONNX Runtime {} environment ready in {} ms "
                    + "(execution providers {})", options, routing, environment.getVersion(),
                    (System.nanoTime() - t0) / 1_000_000, OrtEnvironment.getAvailableProviders());
        }
    }

    OnnxBackendModule.Options options() {
        return options;
    }

    Routing routing() {
        return routing;
    }

    OrtEnvironment environment() {
        return environment;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /**
     * Reports {@code onnxruntime.version}, {@code threads} (intra-op), {@code interop.threads}, {@code optimization}
     * and {@code unrolled}.
     */
    @Override
    public BackendDescription describe() {
        Map<String, String> p = new HashMap<>();
        p.put(BackendDescription.ONNXRUNTIME_VERSION, environment.getVersion());
        p.put(BackendDescription.THREADS, Integer.toString(options.intraOpThreads()));
        p.put(BackendDescription.INTER_OP_THREADS, Integer.toString(options.interOpThreads()));
        p.put(BackendDescription.OPTIMIZATION, options.optimization().name().toLowerCase(Locale.ROOT));
        p.put(BackendDescription.UNROLLED, Boolean.toString(options.unrolled()));
        return new BackendDescription(NAME, p);
    }

    @Override
    public Model compile(Network network, Parameters parameters) {
        if (isClosed()) {
            throw closedError("compile " + network);
        }
        requireAll(network);
        parameters.checkMatches(network);
        OrtModel model = new OrtModel(this, network, parameters);
        synchronized (this) {
            if (open != null) {
                open.add(model);
                return model;
            }
        }
        // closed while the model was being made: it was never handed out
        model.close();
        throw closedError("compile " + network);
    }

    synchronized boolean isClosed() {
        return open == null;
    }

    /** A model closed by its user leaves the set. */
    synchronized void forget(OrtModel model) {
        if (open != null) {
            open.remove(model);
        }
    }

    IllegalStateException closedError(String what) {
        return new IllegalStateException("backend '" + NAME + "' was closed, so it cannot " + what + "; compile on an "
                + "open backend, for example a new one from Backends.named(\"onnx\")");
    }

    /**
     * Runs {@code count} shards of a pass: the calling thread and up to {@code intraOpThreads − 1} worker threads each
     * claim the next shard until none is left. Returns when every shard has finished, even if the caller is
     * interrupted or a shard fails (so no buffer or session is released under a running shard); then rethrows the
     * first failure and restores the interrupt flag. A helper that starts only after every shard was claimed (it
     * waited behind other passes' shards) does nothing, and nobody waits for it; when no worker can take work (the
     * backend is closing), the caller runs every shard itself.
     *
     * @param count how many shards
     * @param shard runs shard i
     */
    void runShards(int count, IntConsumer shard) {
        ShardRun run = new ShardRun(count, shard);
        ExecutorService pool = workers(count);
        for (int i = 1; pool != null && i < Math.min(count, options.intraOpThreads()); i++) {
            try {
                pool.execute(run::help);
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        run.claim();
        run.finish();
    }

    /** The shards of one pass, claimed in turn by the caller and its helpers. */
    private static final class ShardRun {
        private final int count;
        private final IntConsumer shard;
        private final AtomicInteger next = new AtomicInteger();
        /** Guards the fields below. */
        private final Object lock = new Object();
        /** Helpers inside {@link #claim()}. */
        private int active;
        /** Set when the caller has claimed its last shard: later helpers do nothing. */
        private boolean sealed;
        private Throwable failure;

        ShardRun(int count, IntConsumer shard) {
            this.count = count;
            this.shard = shard;
        }

        /** Runs shards until none is left, keeping the first failure. */
        void claim() {
            try {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    shard.accept(i);
                }
            } catch (Throwable e) {
                synchronized (lock) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }

        /** What a worker runs: claims shards unless the caller has finished them all. */
        void help() {
            synchronized (lock) {
                if (sealed) {
                    return;
                }
                active++;
            }
            try {
                claim();
            } finally {
                synchronized (lock) {
                    active--;
                    lock.notifyAll();
                }
            }
        }

        /** Waits for the helpers still running a shard, then rethrows the first failure. */
        void finish() {
            boolean interrupted = false;
            Throwable first;
            synchronized (lock) {
                sealed = true;
                while (active > 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                first = failure;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (first instanceof RuntimeException re) {
                throw re;
            } else if (first instanceof Error err) {
                throw err;
            } else if (first != null) {
                throw new IllegalStateException(first);
            }
        }
    }

    /** The worker pool (made on first use), or null when there is nothing to share or the backend is closed. */
    private synchronized ExecutorService workers(int shards) {
        if (shards < 2 || options.intraOpThreads() < 2 || open == null) {
            return null;
        }
        if (workers == null) {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(options.intraOpThreads() - 1, r -> {
                Thread t = new Thread(r, "recurra-onnx-" + System.identityHashCode(this) + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return workers;
    }

    /**
     * Closes every model still open (each after the passes in flight on it), then ends the worker threads and refuses
     * to compile. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        List<OrtModel> models;
        ExecutorService pool;
        synchronized (this) {
            if (open == null) {
                return;
            }
            models = new ArrayList<>(open);
            open = null;
            pool = workers;
        }
        if (pool != null) {
            // an orderly shutdown: shards already handed over still run, so no pass waits forever
            pool.shutdown();
        }
        RuntimeException failure = null;
        for (OrtModel m : models) {
            try {
                m.closeWithBackend();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "OnnxBackend{" + options + (isClosed() ? ", closed" : "") + "}";
    }
}
