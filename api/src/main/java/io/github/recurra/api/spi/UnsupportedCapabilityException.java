package io.github.recurra.api.spi;

import java.util.Set;

/** Thrown when a backend is asked for something it does not support. The message names both. */
public final class UnsupportedCapabilityException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    /** the backend's name */
    private final String backend;
    /** what was asked for */
    private final Capability capability;

    /**
     * @param backend    the backend's name
     * @param capability what was asked for
     * @param supported  what the backend supports
     * @param what       what the caller tried to do
     */
    public UnsupportedCapabilityException(String backend, Capability capability, Set<Capability> supported,
            String what) {
        super("backend '" + backend + "' does not support " + capability + " (needed to " + what
                + "); it supports " + supported + ". Choose another backend or change the network.");
        this.backend = backend;
        this.capability = capability;
    }

    /** @return the backend's name */
    public String backend() {
        return backend;
    }

    /** @return the missing capability */
    public Capability capability() {
        return capability;
    }
}
