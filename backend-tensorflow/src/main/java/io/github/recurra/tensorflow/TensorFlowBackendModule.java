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
     * How the backend's TensorFlow sessions run ({@code ConfigProto}). TensorFlow sizes its process-wide thread pools
     * when the first session of the JVM is made, so the first backend's settings hold for every later one in the same
     * JVM.
     *
     * @param intraOpThreads threads inside one operator (matrix products), at least 0; 0 lets TensorFlow choose (all
     *                       cores); default: the available processors
     * @param interOpThreads threads running independent operators at once, at least 0; 0 (the default) lets
     *                       TensorFlow choose
     */
    public record Options(int intraOpThreads, int interOpThreads) {
        /** System property for {@link #intraOpThreads()}. */
        public static final String THREADS = "recurra.tensorflow.threads";
        /** System property for {@link #interOpThreads()}. */
        public static final String INTER_OP_THREADS = "recurra.tensorflow.interOpThreads";

        /**
         * Validates.
         *
         * @throws IllegalArgumentException if a thread count is negative
         */
        public Options {
            if (intraOpThreads < 0 || interOpThreads < 0) {
                throw new IllegalArgumentException("thread counts of the TensorFlow backend must be at least 0 (0 lets "
                        + "TensorFlow choose) but were intra-op " + intraOpThreads + ", inter-op " + interOpThreads);
            }
        }

        /** @return the available processors per operator, TensorFlow's choice of inter-op threads */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), 0);
        }

        /**
         * The defaults, each replaced by its system property when set: {@value #THREADS} and
         * {@value #INTER_OP_THREADS}.
         *
         * @return the options
         * @throws IllegalArgumentException if a property is not a whole number of at least 0, naming it
         */
        public static Options fromSystemProperties() {
            Options d = defaults();
            return new Options(threads(THREADS, d.intraOpThreads), threads(INTER_OP_THREADS, d.interOpThreads));
        }

        /**
         * @param n threads per operator, at least 0 (0: TensorFlow's choice)
         * @return a copy with it
         */
        public Options withIntraOpThreads(int n) {
            return new Options(n, interOpThreads);
        }

        /**
         * @param n threads running independent operators, at least 0 (0: TensorFlow's choice)
         * @return a copy with it
         */
        public Options withInterOpThreads(int n) {
            return new Options(intraOpThreads, n);
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
