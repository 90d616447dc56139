package io.github.recurra.cpu;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.recurra.api.spi.Backend;

/**
 * Guice wiring for the CPU backend: binds {@link Backend} to it.
 * <pre>{@code
 * Backend backend = Guice.createInjector(new CpuBackendModule()).getInstance(Backend.class);
 * }</pre>
 * By default it uses all available processors, or the system property {@code recurra.cpu.threads} if set;
 * {@link #CpuBackendModule(int)} fixes the number. The backend is a singleton of the injector; whoever made the
 * injector closes it when done (after its models), which lets its worker threads end:
 * <pre>{@code
 * try (Backend backend = Guice.createInjector(new CpuBackendModule()).getInstance(Backend.class)) { ... }
 * }</pre>
 */
public final class CpuBackendModule extends AbstractModule {
    private final int threads;

    /** Uses {@code recurra.cpu.threads} or all available processors. */
    public CpuBackendModule() {
        this(defaultThreads());
    }

    /**
     * @param threads worker threads per batch, at least 1
     */
    public CpuBackendModule(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the CPU backend needs at least 1 thread but was given " + threads);
        }
        this.threads = threads;
    }

    static int defaultThreads() {
        String p = System.getProperty("recurra.cpu.threads");
        if (p == null || p.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n < 1) {
                throw new IllegalArgumentException("system property recurra.cpu.threads must be at least 1 but was "
                        + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property recurra.cpu.threads must be a whole number but was '"
                    + p + "'", e);
        }
    }

    @Provides
    @Singleton
    Backend backend() {
        return new CpuBackend(threads);
    }
}
