package io.github.recurra.cpu;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU backend. Worker threads (daemons named {@code recurra-cpu-<threads>-<n>}) come from one pool per thread
 * count, shared by the open backends with that count: the first to open creates it and the last to close shuts it
 * down, so creating backends repeatedly does not create threads repeatedly, and closing every backend leaves no
 * worker thread behind. A backend with one thread has no pool: it runs everything on the calling thread.
 *
 * <p>After {@link #close()}, {@link #compile} fails with {@link IllegalStateException}. A model compiled before keeps
 * its weights and workspaces, and still runs what needs no worker thread (a batch small enough to be a single shard,
 * see {@link CpuModel}, or anything on a one-thread backend); a call that would hand work to the worker threads fails
 * with {@link IllegalStateException} saying the backend was closed. A pass that had already handed work to the workers
 * when the backend closed finishes, its remaining shards on the calling thread. Close models before their backend.
 */
final class CpuBackend implements Backend {
    static final String NAME = "cpu";
    private static final Logger LOG = LoggerFactory.getLogger(CpuBackend.class);

    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.INFERENCE, Capability.TRAINING, Capability.RNN, Capability.LSTM, Capability.GRU,
            Capability.PEEPHOLES, Capability.CELL_CLIP, Capability.COUPLED_INPUT_FORGET,
            Capability.CUSTOM_ACTIVATIONS, Capability.STACKED_LAYERS, Capability.LAYER_DROPOUT, Capability.REVERSE,
            Capability.BIDIRECTIONAL, Capability.INITIAL_STATES, Capability.SEQUENCE_LENGTHS,
            Capability.LAST_TIME_INDEX, Capability.PER_STEP_HEAD, Capability.REGRESSION_LOSS));

    /** The worker pools of the open backends, by thread count; guarded by itself. */
    private static final Map<Integer, SharedPool> POOLS = new HashMap<>();

    private final int threads;
    private final SharedPool shared;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the CPU backend needs at least 1 thread but was given " + threads);
        }
        this.threads = threads;
        this.shared = threads == 1 ? null : SharedPool.acquire(threads);
        this.executor = shared == null ? null : new Workers(shared.executor);
        Kernels.announce();
        if (LOG.isDebugEnabled()) {
            LOG.debug("created backend {}", describe());
        }
    }

    /** A worker pool and the number of open backends using it. */
    private static final class SharedPool {
        final int threads;
        final ExecutorService executor;
        /** Open backends using it; guarded by {@link #POOLS}. */
        int users;

        private SharedPool(int threads) {
            this.threads = threads;
            AtomicInteger n = new AtomicInteger();
            this.executor = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "recurra-cpu-" + threads + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        static SharedPool acquire(int threads) {
            synchronized (POOLS) {
                SharedPool p = POOLS.computeIfAbsent(threads, SharedPool::new);
                p.users++;
                return p;
            }
        }

        /**
         * Shuts the pool down when its last user leaves. The shutdown is orderly: work already handed to the pool
         * still runs (so no pass waits forever for it), then the threads end.
         */
        static void release(SharedPool p) {
            synchronized (POOLS) {
                if (--p.users == 0) {
                    POOLS.remove(p.threads);
                    p.executor.shutdown();
                }
            }
        }
    }

    int threads() {
        return threads;
    }

    /** @return the worker pool this backend shares, or null with one thread (for tests) */
    ExecutorService sharedPool() {
        return shared == null ? null : shared.executor;
    }

    /** @return what this backend's models hand their work to, or null with one thread (for tests) */
    ExecutorService workers() {
        return executor;
    }

    /** @return the number of open backends using the pool for {@code threads} threads, 0 if there is none */
    static int poolUsers(int threads) {
        synchronized (POOLS) {
            SharedPool p = POOLS.get(threads);
            return p == null ? 0 : p.users;
        }
    }

    boolean isClosed() {
        return closed.get();
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
     * Reports {@code kernels} ({@code vector} or {@code scalar}), {@code vector.bits} with the vector kernels,
     * {@code threads} and {@code shard.rows}.
     */
    @Override
    public BackendDescription describe() {
        Map<String, String> p = new HashMap<>();
        boolean vector = Blas.simd;
        p.put(BackendDescription.KERNELS, vector ? "vector" : "scalar");
        if (vector) {
            p.put(BackendDescription.VECTOR_BITS, Integer.toString(VectorGemm.bits()));
        }
        p.put(BackendDescription.THREADS, Integer.toString(threads));
        p.put(BackendDescription.SHARD_ROWS, Integer.toString(CpuModel.SHARD_ROWS));
        return new BackendDescription(NAME, p);
    }

    @Override
    public Model compile(Network network, Parameters parameters) {
        if (closed.get()) {
            throw new IllegalStateException("backend '" + NAME + "' (" + threads + " threads) was closed, so it "
                    + "cannot compile " + network + "; compile on an open backend, for example a new one from "
                    + "Backends.named(\"cpu\")");
        }
        requireAll(network);
        return new CpuModel(this, network, parameters, executor);
    }

    /**
     * Closes this backend: the first call gives up its share of the worker pool (shutting the pool down if no other
     * open backend uses it); later calls do nothing. Thread-safe.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && shared != null) {
            SharedPool.release(shared);
        }
    }

    @Override
    public String toString() {
        return "CpuBackend{threads=" + threads + (closed.get() ? ", closed" : "") + "}";
    }

    /**
     * The shared pool as this backend's models see it: it takes work while the backend is open and refuses it, with
     * an {@link IllegalStateException}, once the backend is closed. A thread whose earlier work of the same pass is
     * still in the pool is mid-pass: its further work then runs at once on that thread instead, so the pass finishes
     * (a model waits for everything it handed out). It cannot shut the shared pool down; closing the backend does.
     */
    private final class Workers extends AbstractExecutorService {
        private final ExecutorService pool;
        /** Per calling thread: its tasks handed out and not yet finished. */
        private final ThreadLocal<AtomicInteger> pending = ThreadLocal.withInitial(AtomicInteger::new);

        Workers(ExecutorService pool) {
            this.pool = pool;
        }

        @Override
        public Future<?> submit(Runnable task) {
            AtomicInteger mine = pending.get();
            // the count drops inside the task, so it is down before anyone waiting on the future wakes up
            FutureTask<Void> future = new FutureTask<>(() -> {
                try {
                    task.run();
                } finally {
                    mine.decrementAndGet();
                }
            }, null);
            mine.incrementAndGet();
            if (!closed.get()) {
                try {
                    pool.execute(future);
                    return future;
                } catch (RejectedExecutionException e) {
                    // the last backend sharing the pool closed after the check: as if this one had
                }
            }
            if (mine.get() > 1) {
                future.run();
                return future;
            }
            mine.decrementAndGet();
            throw new IllegalStateException("backend '" + NAME + "' (" + threads + " threads) was closed, so this "
                    + "model's batch cannot run on its worker threads; close models before their backend, or "
                    + "compile the network again on an open backend");
        }

        @Override
        public void execute(Runnable command) {
            submit(command);
        }

        @Override
        public void shutdown() {
            throw new UnsupportedOperationException("the worker pool is shared; close the backend instead");
        }

        @Override
        public List<Runnable> shutdownNow() {
            throw new UnsupportedOperationException("the worker pool is shared; close the backend instead");
        }

        @Override
        public boolean isShutdown() {
            return closed.get();
        }

        @Override
        public boolean isTerminated() {
            return closed.get() && pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            // without the close no termination is coming; with it, only the shared pool's can be awaited
            return closed.get() && pool.awaitTermination(timeout, unit);
        }
    }
}
