package io.github.recurra.api.spi;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.util.Map;
import java.util.Set;

/**
 * A compute engine that turns a network spec plus parameters into an executable {@link Model}. Implementations are
 * thread-safe. A backend may hold resources of its own (worker threads, a native environment): close it when done,
 * after the models compiled from it, for example with try-with-resources:
 * <pre>{@code
 * try (Backend backend = Backends.named("cpu");
 *         Model model = backend.compile(network, parameters)) {   // closed in reverse order: the model first
 *     ...
 * }
 * }</pre>
 */
public interface Backend extends AutoCloseable {

    /** @return the short name used to select it, for example {@code cpu} */
    String name();

    /** @return what it can do */
    Set<Capability> capabilities();

    /**
     * What this backend runs on: its kernels, threads and native libraries, under the stable keys listed in
     * {@link BackendDescription} (the CPU backend, for example, says whether its {@link BackendDescription#KERNELS
     * kernels} are {@code vector} or {@code scalar}). Cheap apart from what a backend documents (the TensorFlow
     * backend loads TensorFlow's native library to read its version); still answers after {@link #close()}.
     *
     * <p>The default reports the name and no properties, for backends that have nothing to say.
     *
     * @return the description; its name is {@link #name()}
     */
    default BackendDescription describe() {
        return new BackendDescription(name(), Map.of());
    }

    /**
     * Compiles a network. The parameters are copied in; later changes to them do not affect the model.
     *
     * @param network    the network
     * @param parameters its parameters, with the canonical names and shapes ({@link Parameters#shapesOf})
     * @return a model; close it when done, before this backend
     * @throws UnsupportedCapabilityException if the network needs something this backend lacks
     * @throws IllegalArgumentException       if the parameters do not match the network
     * @throws IllegalStateException          if this backend was closed (the message names the backend)
     */
    Model compile(Network network, Parameters parameters);

    /**
     * Releases what this backend holds (worker threads, native environments). Close the models compiled from it
     * first: what a model whose backend was closed still does is up to each backend, which documents it (it may fail
     * with {@link IllegalStateException}). After this, {@link #compile} throws {@link IllegalStateException} naming
     * the backend; {@link #name()} and {@link #capabilities()} still answer. Idempotent: closing again does nothing.
     * Throws no checked exception. May be called from any thread; a compile or a model's call racing with it either
     * finishes or fails with {@link IllegalStateException}, never hangs.
     *
     * <p>The default does nothing, for backends that hold nothing of their own; such a backend may keep compiling
     * after close. A backend that overrides it must follow the contract above.
     */
    @Override
    default void close() {
    }

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
