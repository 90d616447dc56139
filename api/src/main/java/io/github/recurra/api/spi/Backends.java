package io.github.recurra.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends on the classpath by name, through {@link BackendProvider} services. */
public final class Backends {

    private Backends() {
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
     * @param name a backend name, for example {@code cpu}
     * @return a new instance of that backend
     * @throws IllegalArgumentException if none has that name, listing those available
     */
    public static Backend named(String name) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) {
                return p.create();
            }
        }
        throw new IllegalArgumentException("no backend named '" + name + "' on the classpath; available: "
                + available() + ". A backend is found through a BackendProvider listed in "
                + "META-INF/services/io.github.recurra.api.spi.BackendProvider of a jar on the classpath.");
    }
}
