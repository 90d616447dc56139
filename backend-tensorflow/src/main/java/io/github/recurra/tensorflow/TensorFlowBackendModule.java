package io.github.recurra.tensorflow;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.recurra.api.spi.Backend;
import java.util.Objects;

/**
 * Guice wiring for the TensorFlow backend: binds {@link Backend} to it.
 * <pre>{@code
 * try (Backend backend = Guice.createInjector(new TensorFlowBackendModule()).getInstance(Backend.class)) { ... }
 * Backend two = Guice.createInjector(new TensorFlowBackendModule(TensorFlowBackendModule.Options.defaults()
 *         .withIntraOpThreads(2))).getInstance(Backend.class);
 * }</pre>
 * The no-argument constructor reads {@link Options#fromSystemProperties()}. The backend is a singleton of the
 * injector; whoever made the injector closes it when done (after its models). Launch the JVM with
 * {@code TF_ENABLE_ONEDNN_OPTS=1} in its environment (see the package documentation).
 */
public final class TensorFlowBackendModule extends AbstractModule {
    private final Options options;

    /** Uses {@link Options#fromSystemProperties()}: the defaults, unless system properties say otherwise. */
    public TensorFlowBackendModule() {
        this(Options.fromSystemProperties());
    }

    /**
     * @param options the session settings of every model the backend compiles
     */
    public TensorFlowBackendModule(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Provides
    @Singleton
    Backend backend() {
        return new TensorFlowBackend(options);
    }

    /**
     * Which graph a recurrent layer runs as, where there is a choice ({@link Options#route()}).
     */
    public enum Route {
        /** The measured choice: currently unrolled everywhere (the fused forward was not faster through the model). */
        AUTO,
        /** Always statically unrolled primitive ops. */
        UNROLLED,
        /**
         * TensorFlow's fused LSTM op ({@code BlockLSTMV2}) for the forward passes of every layer whose semantics equal
         * it; training pieces stay unrolled.
         */
        FUSED
    }

    /**
     * How the backend's TensorFlow sessions run ({@code ConfigProto}) and train. TensorFlow sizes its process-wide
     * thread pools when the first session of the JVM is made, so the first backend's settings hold for every later one
     * in the same JVM.
     *
     * @param intraOpThreads threads inside one operator (matrix products), at least 0; 0 lets TensorFlow choose (all
     *                       cores); default: the available processors
     * @param interOpThreads threads running independent operators at once, at least 0; 0 (the default) lets
     *                       TensorFlow choose
     * @param nativeTraining whether {@code Model.openTraining} returns the native session (the update in the graph,
     *                       default) instead of the host session ({@code HostTrainingSession})
     * @param route          the graph of recurrent layers (default {@link Route#AUTO}), not null
     */
    public record Options(int intraOpThreads, int interOpThreads, boolean nativeTraining, Route route) {
        /** System property for {@link #intraOpThreads()}. */
        public static final String THREADS = "recurra.tensorflow.threads";
        /** System property for {@link #interOpThreads()}. */
        public static final String INTER_OP_THREADS = "recurra.tensorflow.interOpThreads";
        /** System property for {@link #nativeTraining()}: {@code true} or {@code false}. */
        public static final String NATIVE_TRAINING = "recurra.tensorflow.nativeTraining";
        /** System property for {@link #route()}: {@code auto}, {@code unrolled} or {@code fused}. */
        public static final String ROUTE = "recurra.tensorflow.route";

        /**
         * Validates.
         *
         * @param intraOpThreads threads inside one operator (matrix products), at least 0; 0 lets TensorFlow choose
         *                       (all cores); default: the available processors
         * @param interOpThreads threads running independent operators at once, at least 0; 0 (the default) lets
         *                       TensorFlow choose
         * @param nativeTraining whether {@code Model.openTraining} returns the native session (the update in the graph,
         *                       default) instead of the host session ({@code HostTrainingSession})
         * @param route          the graph of recurrent layers (default {@link Route#AUTO}), not null
         * @throws IllegalArgumentException if a thread count is negative or the route is null
         */
        public Options {
            if (intraOpThreads < 0 || interOpThreads < 0) {
                throw new IllegalArgumentException("thread counts of the TensorFlow backend must be at least 0 (0 lets "
                        + "TensorFlow choose) but were intra-op " + intraOpThreads + ", inter-op " + interOpThreads);
            }
            if (route == null) {
                throw new IllegalArgumentException("the route of the TensorFlow backend must not be null; use "
                        + "Route.AUTO for the measured choice");
            }
        }

        /**
         * The given thread counts with native training and {@link Route#AUTO}.
         *
         * @param intraOpThreads as {@link #intraOpThreads()}
         * @param interOpThreads as {@link #interOpThreads()}
         */
        public Options(int intraOpThreads, int interOpThreads) {
            this(intraOpThreads, interOpThreads, true, Route.AUTO);
        }

        /** @return the available processors per operator, TensorFlow's choice of inter-op threads */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), 0);
        }

        /**
         * The defaults, each replaced by its system property when set: {@value #THREADS}, {@value #INTER_OP_THREADS},
         * {@value #NATIVE_TRAINING} and {@value #ROUTE}.
         *
         * @return the options
         * @throws IllegalArgumentException if a property has a value it cannot have, naming it
         */
        public static Options fromSystemProperties() {
            Options d = defaults();
            return new Options(threads(THREADS, d.intraOpThreads), threads(INTER_OP_THREADS, d.interOpThreads),
                    flag(NATIVE_TRAINING, d.nativeTraining), route(ROUTE, d.route));
        }

        /**
         * @param n threads per operator, at least 0 (0: TensorFlow's choice)
         * @return a copy with it
         */
        public Options withIntraOpThreads(int n) {
            return new Options(n, interOpThreads, nativeTraining, route);
        }

        /**
         * @param n threads running independent operators, at least 0 (0: TensorFlow's choice)
         * @return a copy with it
         */
        public Options withInterOpThreads(int n) {
            return new Options(intraOpThreads, n, nativeTraining, route);
        }

        /**
         * @param on whether to train with the update in the graph
         * @return a copy with it
         */
        public Options withNativeTraining(boolean on) {
            return new Options(intraOpThreads, interOpThreads, on, route);
        }

        /**
         * @param r the route of recurrent layers
         * @return a copy with it
         */
        public Options withRoute(Route r) {
            return new Options(intraOpThreads, interOpThreads, nativeTraining, r);
        }

        private static boolean flag(String property, boolean fallback) {
            String p = System.getProperty(property);
            if (p == null || p.isBlank()) {
                return fallback;
            }
            return switch (p.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("system property " + property + " must be true or "
                        + "false but was '" + p + "'");
            };
        }

        private static Route route(String property, Route fallback) {
            String p = System.getProperty(property);
            if (p == null || p.isBlank()) {
                return fallback;
            }
            try {
                return Route.valueOf(p.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + property + " must be auto, unrolled or "
                        + "fused but was '" + p + "'", e);
            }
        }

        private static int threads(String property, int fallback) {
            String p = System.getProperty(property);
            if (p == null || p.isBlank()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(p.trim());
                if (n < 0) {
                    throw new IllegalArgumentException("system property " + property + " must be at least 0 but was "
                            + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property " + property + " must be a whole number but was '"
                        + p + "'", e);
            }
        }
    }
}
