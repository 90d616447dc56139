package io.github.recurra.onnxruntime;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.recurra.api.spi.Backend;
import java.util.Locale;
import java.util.Objects;

/**
 * Guice wiring for the ONNX Runtime backend: binds {@link Backend} to it.
 * <pre>{@code
 * try (Backend backend = Guice.createInjector(new OnnxBackendModule()).getInstance(Backend.class)) { ... }
 * Backend two = Guice.createInjector(new OnnxBackendModule(OnnxBackendModule.Options.defaults()
 *         .withIntraOpThreads(2))).getInstance(Backend.class);
 * }</pre>
 * The no-argument constructor reads {@link Options#fromSystemProperties()}. The backend is a singleton of the
 * injector; whoever made the injector closes it when done (after its models).
 */
public final class OnnxBackendModule extends AbstractModule {
    private final Options options;

    /** Uses {@link Options#fromSystemProperties()}: the defaults, unless system properties say otherwise. */
    public OnnxBackendModule() {
        this(Options.fromSystemProperties());
    }

    /**
     * @param options the session settings of every model the backend compiles
     */
    public OnnxBackendModule(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Provides
    @Singleton
    Backend backend() {
        return new OnnxBackend(options);
    }

    /** ONNX Runtime's graph optimisation levels ({@code GraphOptimizationLevel}), applied when a session is made. */
    public enum Optimization {
        /** No graph optimisation. */
        NONE,
        /** Constant folding and redundant-node removal. */
        BASIC,
        /** BASIC plus operator fusions. */
        EXTENDED,
        /** Everything, including layout optimisations (ONNX Runtime's own default). */
        ALL
    }

    /**
     * How the backend's ONNX Runtime sessions run. Every compiled model owns its sessions, and every session its own
     * thread pools ({@code intraOpThreads − 1} threads for the work inside an operator, plus {@code interOpThreads}
     * threads when more than one: operators then run in parallel where the graph allows), so the threads of a model
     * end when it is closed.
     *
     * @param intraOpThreads threads per operator (matrix products, element-wise work), at least 1; default: all
     *                       available processors. Also how many shards a large GRU batch is cut into, each run on a
     *                       single-threaded session at once (the calling thread and {@code intraOpThreads − 1}
     *                       worker threads of the backend)
     * @param interOpThreads threads that run independent operators at the same time, at least 1; default 1
     *                       (operators run one after another, which suits the mostly sequential recurrent graphs)
     * @param optimization   graph optimisation level; default {@link Optimization#ALL}
     * @param unrolled       whether the backend may run a graph unrolled over the sequence length instead of the
     *                       standard recurrent operators, for the networks and calls where both compute the same
     *                       (see the package documentation); default true. The results agree within rounding; false
     *                       always runs the exported standard graph
     */
    public record Options(int intraOpThreads, int interOpThreads, Optimization optimization, boolean unrolled) {
        /** System property for {@link #intraOpThreads()}. */
        public static final String THREADS = "recurra.onnx.threads";
        /** System property for {@link #interOpThreads()}. */
        public static final String INTER_OP_THREADS = "recurra.onnx.interOpThreads";
        /** System property for {@link #optimization()}: none, basic, extended or all. */
        public static final String OPTIMIZATION = "recurra.onnx.optimization";
        /** System property for {@link #unrolled()}: true or false. */
        public static final String UNROLLED = "recurra.onnx.unrolled";

        /**
         * Validates.
         *
         * @param intraOpThreads threads per operator (matrix products, element-wise work), at least 1; default: all
         *                       available processors. Also how many shards a large GRU batch is cut into, each run on a
         *                       single-threaded session at once (the calling thread and {@code intraOpThreads − 1}
         *                       worker threads of the backend)
         * @param interOpThreads threads that run independent operators at the same time, at least 1; default 1
         *                       (operators run one after another, which suits the mostly sequential recurrent graphs)
         * @param optimization   graph optimisation level; default {@link Optimization#ALL}
         * @param unrolled       whether the backend may run a graph unrolled over the sequence length instead of the
         *                       standard recurrent operators, for the networks and calls where both compute the same
         *                       (see the package documentation); default true. The results agree within rounding; false
         *                       always runs the exported standard graph
         * @throws IllegalArgumentException if a thread count is below 1 or the optimisation level is null
         */
        public Options {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("the ONNX backend needs at least 1 intra-op thread but was given "
                        + intraOpThreads);
            }
            if (interOpThreads < 1) {
                throw new IllegalArgumentException("the ONNX backend needs at least 1 inter-op thread but was given "
                        + interOpThreads);
            }
            if (optimization == null) {
                throw new IllegalArgumentException("the optimisation level is null; choose one of "
                        + java.util.Arrays.toString(Optimization.values()));
            }
        }

        /** @return all available processors per operator, 1 inter-op thread, {@link Optimization#ALL}, unrolling on */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), 1, Optimization.ALL, true);
        }

        /**
         * The defaults, each replaced by its system property when set: {@value #THREADS}, {@value #INTER_OP_THREADS},
         * {@value #OPTIMIZATION} and {@value #UNROLLED}.
         *
         * @return the options
         * @throws IllegalArgumentException if a property is set to something invalid, naming it
         */
        public static Options fromSystemProperties() {
            Options d = defaults();
            return new Options(threads(THREADS, d.intraOpThreads), threads(INTER_OP_THREADS, d.interOpThreads),
                    optimization(d.optimization), flag(UNROLLED, d.unrolled));
        }

        /**
         * @param n threads per operator, at least 1
         * @return a copy with it
         */
        public Options withIntraOpThreads(int n) {
            return new Options(n, interOpThreads, optimization, unrolled);
        }

        /**
         * @param n threads running independent operators, at least 1
         * @return a copy with it
         */
        public Options withInterOpThreads(int n) {
            return new Options(intraOpThreads, n, optimization, unrolled);
        }

        /**
         * @param level the graph optimisation level
         * @return a copy with it
         */
        public Options withOptimization(Optimization level) {
            return new Options(intraOpThreads, interOpThreads, level, unrolled);
        }

        /**
         * @param on whether unrolled graphs may run where they compute the same as the standard one
         * @return a copy with it
         */
        public Options withUnrolled(boolean on) {
            return new Options(intraOpThreads, interOpThreads, optimization, on);
        }

        private static int threads(String property, int fallback) {
            String p = System.getProperty(property);
            if (p == null || p.isBlank()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(p.trim());
                if (n < 1) {
                    throw new IllegalArgumentException("system property " + property + " must be at least 1 but was "
                            + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property " + property + " must be a whole number but was '"
                        + p + "'", e);
            }
        }

        private static Optimization optimization(Optimization fallback) {
            String p = System.getProperty(OPTIMIZATION);
            if (p == null || p.isBlank()) {
                return fallback;
            }
            try {
                return Optimization.valueOf(p.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + OPTIMIZATION + " must be none, basic, "
                        + "extended or all but was '" + p + "'", e);
            }
        }

        private static boolean flag(String property, boolean fallback) {
            String p = System.getProperty(property);
            if (p == null || p.isBlank()) {
                return fallback;
            }
            String v = p.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("system property " + property + " must be true or false but was '"
                        + p + "'");
            }
            return v.equals("true");
        }
    }
}
