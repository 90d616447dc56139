package io.github.recurra.tensorflow;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

/**
 * The TensorFlow backend: every network compiles to one TensorFlow graph and session of its own ({@link TfModel}),
 * whose variables hold the parameters. It claims everything the reference CPU backend claims.
 *
 * <p>What {@link #close()} releases: every model compiled here that is still open is closed (its session and graph
 * freed); afterwards {@link #compile} and every call on those models fail with {@link IllegalStateException}. What it
 * does not release: TensorFlow's native library and its process-wide thread pools, which live as long as the JVM.
 */
final class TensorFlowBackend implements Backend {
    static final String NAME = "tensorflow";
    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowBackend.class);

    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.allOf(Capability.class));

    private final TensorFlowBackendModule.Options options;
    /** The open models, guarded by this; null once closed. */
    private Set<TfModel> open = new LinkedHashSet<>();

    TensorFlowBackend(TensorFlowBackendModule.Options options) {
        this.options = options;
        LOG.debug("created backend tensorflow with {}, oneDNN {} (TF_ENABLE_ONEDNN_OPTS in the environment); the "
                + "native library loads with the first model", options, oneDnn());
    }

    /** TensorFlow's native library, loaded on first use of this holder, once per JVM. */
    private static final class NativeLibrary {
        static final String VERSION = load();

        private static String load() {
            long t0 = System.nanoTime();
            String version = TensorFlow.version();
            LOG.debug("loaded TensorFlow {}'s native library in {} ms, oneDNN {}", version,
                    (System.nanoTime() - t0) / 1_000_000, oneDnn());
            return version;
        }
    }

    /** Loads TensorFlow's native library if this JVM has not yet; cheap afterwards. */
    static void loadNativeLibrary() {
        if (NativeLibrary.VERSION.isEmpty()) {
            throw new IllegalStateException("TensorFlow's native library reports no version");
        }
    }

    /**
     * @return {@code on} when the environment turns TensorFlow's oneDNN kernels on ({@code TF_ENABLE_ONEDNN_OPTS=1} or
     *     {@code true}, read by TensorFlow when it loads), else {@code off} (this build's default)
     */
    static String oneDnn() {
        String v = System.getenv("TF_ENABLE_ONEDNN_OPTS");
        return v != null && (v.trim().equals("1") || v.trim().equalsIgnoreCase("true")) ? "on" : "off";
    }

    TensorFlowBackendModule.Options options() {
        return options;
    }

    /** @return the session configuration of this backend's models */
    ConfigProto config() {
        ConfigProto.Builder b = ConfigProto.newBuilder();
        if (options.intraOpThreads() > 0) {
            b.setIntraOpParallelismThreads(options.intraOpThreads());
        }
        if (options.interOpThreads() > 0) {
            b.setInterOpParallelismThreads(options.interOpThreads());
        }
        return b.build();
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
     * Reports {@code tensorflow.version} (which loads TensorFlow's native library if no model has yet),
     * {@code onednn}, {@code threads} (intra-op, 0: TensorFlow's choice), {@code interop.threads}, {@code route} and
     * {@code native.training}.
     */
    @Override
    public BackendDescription describe() {
        Map<String, String> p = new HashMap<>();
        p.put(BackendDescription.TENSORFLOW_VERSION, NativeLibrary.VERSION);
        p.put(BackendDescription.ONEDNN, oneDnn());
        p.put(BackendDescription.THREADS, Integer.toString(options.intraOpThreads()));
        p.put(BackendDescription.INTER_OP_THREADS, Integer.toString(options.interOpThreads()));
        p.put(BackendDescription.ROUTE, options.route().name().toLowerCase(Locale.ROOT));
        p.put(BackendDescription.NATIVE_TRAINING, Boolean.toString(options.nativeTraining()));
        return new BackendDescription(NAME, p);
    }

    @Override
    public Model compile(Network network, Parameters parameters) {
        synchronized (this) {
            checkOpen(network);
        }
        requireAll(network);
        parameters.checkMatches(network);
        TfModel model = new TfModel(this, network, parameters);
        synchronized (this) {
            if (open == null) {
                model.close();
                checkOpen(network);
            }
            open.add(model);
        }
        return model;
    }

    private void checkOpen(Network network) {
        if (open == null) {
            throw new IllegalStateException("backend '" + NAME + "' was closed, so it cannot compile " + network
                    + "; compile on an open backend, for example a new one from Backends.named(\"tensorflow\")");
        }
    }

    /** A model that closed itself leaves the set. */
    synchronized void closed(TfModel model) {
        if (open != null) {
            open.remove(model);
        }
    }

    /** @return whether this backend was closed */
    synchronized boolean isClosed() {
        return open == null;
    }

    /** Closes every open model of this backend; then {@link #compile} fails. Idempotent, thread-safe. */
    @Override
    public void close() {
        List<TfModel> models;
        synchronized (this) {
            if (open == null) {
                return;
            }
            models = new ArrayList<>(open);
            open = null;
        }
        for (TfModel m : models) {
            m.close();
        }
    }

    @Override
    public String toString() {
        return "TensorFlowBackend{" + options + (isClosed() ? ", closed" : "") + "}";
    }
}
