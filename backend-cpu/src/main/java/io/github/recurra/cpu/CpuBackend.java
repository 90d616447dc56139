package io.github.recurra.cpu;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend. Worker threads (daemons) come from one pool per thread count, shared by every backend instance in
 * the JVM, so creating backends repeatedly does not create threads repeatedly.
 */
final class CpuBackend implements Backend {
    static final String NAME = "cpu";

    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.INFERENCE, Capability.TRAINING, Capability.RNN, Capability.LSTM, Capability.GRU,
            Capability.PEEPHOLES, Capability.CELL_CLIP, Capability.COUPLED_INPUT_FORGET,
            Capability.CUSTOM_ACTIVATIONS, Capability.STACKED_LAYERS, Capability.LAYER_DROPOUT, Capability.REVERSE,
            Capability.BIDIRECTIONAL, Capability.INITIAL_STATES, Capability.SEQUENCE_LENGTHS, Capability.PER_STEP_HEAD,
            Capability.REGRESSION_LOSS));

    private final int threads;
    private final ExecutorService executor;

    CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the CPU backend needs at least 1 thread but was given " + threads);
        }
        this.threads = threads;
        this.executor = threads == 1 ? null : POOLS.computeIfAbsent(threads, CpuBackend::newPool);
    }

    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private static ExecutorService newPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "recurra-cpu-" + threads + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Model compile(Network network, Parameters parameters) {
        requireAll(network);
        return new CpuModel(this, network, parameters, executor);
    }

    @Override
    public String toString() {
        return "CpuBackend{threads=" + threads + "}";
    }
}
