package io.github.recurra.api.spi;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.util.Set;

/**
 * A compute engine that turns a network spec plus parameters into an executable {@link Model}. Implementations are
 * thread-safe and hold no native memory themselves (their models may).
 */
public interface Backend {

    /** @return the short name used to select it, for example {@code cpu} */
    String name();

    /** @return what it can do */
    Set<Capability> capabilities();

    /**
     * Compiles a network. The parameters are copied in; later changes to them do not affect the model.
     *
     * @param network    the network
     * @param parameters its parameters, with the canonical names and shapes ({@link Parameters#shapesOf})
     * @return a model; close it when done
     * @throws UnsupportedCapabilityException if the network needs something this backend lacks
     * @throws IllegalArgumentException       if the parameters do not match the network
     */
    Model compile(Network network, Parameters parameters);

    /**
     * @param capability a capability
     * @return whether this backend has it
     */
    default boolean supports(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * Fails unless this backend has {@code capability}.
     *
     * @param capability what is needed
     * @param what       what it is needed for, for the message
     * @throws UnsupportedCapabilityException if missing
     */
    default void require(Capability capability, String what) {
        if (!supports(capability)) {
            throw new UnsupportedCapabilityException(name(), capability, capabilities(), what);
        }
    }

    /**
     * Fails unless this backend can run {@code network}.
     *
     * @param network the network
     * @throws UnsupportedCapabilityException naming the first missing capability
     */
    default void requireAll(Network network) {
        for (Capability c : Capability.requiredBy(network)) {
            require(c, "run " + network);
        }
    }
}
