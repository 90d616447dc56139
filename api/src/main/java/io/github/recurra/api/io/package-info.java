/**
 * Saving and loading networks: {@link io.github.recurra.api.io.ModelFile} writes a network spec, its parameters and,
 * for checkpoints, optimizer and training progress, in one file written atomically and checked on load (or as bytes
 * or a stream, checked the same way), and gives the spec alone as text. {@link io.github.recurra.api.io.AtomicFiles}
 * is the atomic write, for any format. Depends on {@code tensor}, {@code cell}, {@code model} and {@code param}.
 */
package io.github.recurra.api.io;
