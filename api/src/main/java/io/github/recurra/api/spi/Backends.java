package io.github.recurra.api.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds backends on the classpath by name, through {@link BackendProvider} services. Names are compared without
 * regard to case ({@code CPU}, {@code TensorFlow}); a name that is not found is answered with the backends that are on
 * the classpath and, for Recurra's own backends that are not, the dependency that brings each.
 */
public final class Backends {

    /** Recurra's own backends and the artifact that brings each, for messages. */
    private static final Map<String, String> KNOWN = knownBackends();

    private Backends() {
    }

    private static Map<String, String> knownBackends() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", "io.github.recurra:recurra-backend-cpu");
        m.put("tensorflow", "io.github.recurra:recurra-backend-tensorflow");
        m.put("onnx", "io.github.recurra:recurra-backend-onnx");
        return m;
    }

    /** @return the names of the backends on the classpath, sorted */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            names.add(p.name());
        }
        names.sort(null);
        return names;
    }

    /**
     * The provider of a backend, without creating the backend (providers do no heavy work), so that a name can be
     * checked before anything expensive starts.
     *
     * @param name a backend name, for example {@code cpu}; case does not matter
     * @return the provider of that name
     * @throws IllegalArgumentException if none has that name: the message lists the backends on the classpath and, for
     *     each of Recurra's backends that is not, the dependency to add
     */
    public static BackendProvider provider(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a backend name is needed but " + (name == null ? "null" : "'" + name
                    + "'") + " was given; " + choices());
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return p;
            }
        }
        String artifact = KNOWN.get(wanted);
        if (artifact != null) {
            throw new IllegalArgumentException("backend '" + name + "' is not on the classpath; add the dependency "
                    + artifact + " (runtime scope is enough), or choose another: " + choices());
        }
        throw new IllegalArgumentException("no backend is named '" + name + "'; " + choices());
    }

    /**
     * @param name a backend name, for example {@code cpu}; case does not matter
     * @return a new instance of that backend
     * @throws IllegalArgumentException if none has that name, as {@link #provider}
     * @throws IllegalStateException    if the backend is on the classpath but cannot start (for example its native
     *     library does not load), with the backend's reason
     */
    public static Backend named(String name) {
        BackendProvider p = provider(name);
        try {
            return p.create();
        } catch (LinkageError e) {
            throw new IllegalStateException("backend '" + p.name() + "' is on the classpath but cannot start: " + e
                    + "; check that its native library suits this platform, or choose another: " + choices(), e);
        }
    }

    /** @return what is on the classpath and which of Recurra's backends are not, with their artifacts */
    private static String choices() {
        List<String> on = available();
        StringBuilder sb = new StringBuilder("available on the classpath: ")
                .append(on.isEmpty() ? "none" : String.join(", ", on));
        List<String> missing = new ArrayList<>();
        KNOWN.forEach((n, artifact) -> {
            if (!on.contains(n)) {
                missing.add(n + " (" + artifact + ")");
            }
        });
        if (!missing.isEmpty()) {
            sb.append("; known but not on the classpath: ").append(String.join(", ", missing));
        }
        return sb.toString();
    }
}
