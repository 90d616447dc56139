package io.github.recurra.tensorflow;

import io.github.recurra.api.io.LibraryVersion;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;

/**
 * Export of a network as a TensorFlow SavedModel directory that TensorFlow's own loaders serve
 * ({@code SavedModelBundle.load} in Java, {@code tf.saved_model.load} in Python, TensorFlow Serving):
 *
 * <pre>{@code
 * SavedModelExport.export(network, model.parameters(), Path.of("mnist-savedmodel"),
 *         SavedModelExportOptions.builder(28).lengths(true).build());
 * }</pre>
 *
 * <p>What is written: one meta graph with the options' tags, holding the parameters as {@code VariableV2} variables in
 * the canonical layout (restored by the loader from {@code variables/}), and the inference graph of this backend
 * (statically unrolled primitive ops, no dropout, no training ops) for exactly {@code T} time steps. The serving
 * signature is {@link SavedModelSignature#of}: float32 {@code inputs [batch, T, features]} with a dynamic batch axis,
 * optionally int32 {@code lengths [batch]} (the masks are computed in the graph, so a client only pads and gives
 * lengths) and initial states (else zeros computed from the batch size); outputs {@code output},
 * {@code h_n_<k>}/{@code c_n_<k>}, and with a head {@code logits} and {@code predictions}. Inputs of the wrong shape
 * and lengths outside [1, T] fail in TensorFlow with a message saying so. A second signature,
 * {@value SavedModelExportOptions#METADATA_SIGNATURE_KEY}, has no inputs and returns the provenance as string
 * scalars: {@value #META_PRODUCER}, {@value #META_VERSION}, {@value #META_SPEC} (the network spec text,
 * {@link ModelFile#specText}, which {@link ModelFile#parseSpec} reads back) and {@value #META_TIME_STEPS}.
 *
 * <p>The directory is written as a whole or not at all: the export goes to a hidden temporary sibling, which is then
 * renamed to the target in one atomic move; the target must not exist or be an empty directory, and is never
 * overwritten otherwise. Every export builds a graph and a session of its own and closes them. Thread-safe: the
 * methods are static and keep no state.
 */
public final class SavedModelExport {
    /** Metadata output: the producer's name, {@code recurra}. */
    public static final String META_PRODUCER = "producer";
    /** Metadata output: this library's version. */
    public static final String META_VERSION = "version";
    /** Metadata output: the network spec text ({@link ModelFile#specText}). */
    public static final String META_SPEC = "spec";
    /** Metadata output: the time steps the graph was unrolled for, in decimal. */
    public static final String META_TIME_STEPS = "time_steps";
    /** The producer name written into every export. */
    public static final String PRODUCER = "recurra";

    private static final String VERSION = LibraryVersion.get();

    private SavedModelExport() {
    }

    /** @return this library's version, as written into the metadata */
    public static String version() {
        return VERSION;
    }

    /**
     * Exports a model's network and current parameters (of any backend); as
     * {@link #export(Network, Parameters, Path, SavedModelExportOptions)}.
     *
     * @param model     an open model
     * @param directory the SavedModel directory to create
     * @param options   the export options
     * @return the serving signature written
     */
    public static SavedModelSignature export(Model model, Path directory, SavedModelExportOptions options) {
        Objects.requireNonNull(model, "model");
        return export(model.network(), model.parameters(), directory, options);
    }

    /**
     * Exports a network with its parameters as a SavedModel directory.
     *
     * @param network    the network
     * @param parameters its parameters, canonical names and shapes ({@link Parameters#shapesOf})
     * @param directory  the SavedModel directory: it must not exist or be an empty directory, and its parent must exist
     * @param options    time steps, inputs, signature key and tags
     * @return the serving signature written
     * @throws IllegalArgumentException if the parameters do not match the network or the directory is not a free
     *                                  target (nothing is written then)
     * @throws UncheckedIOException     if writing fails (the target is left as it was)
     */
    public static SavedModelSignature export(Network network, Parameters parameters, Path directory,
            SavedModelExportOptions options) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(options, "options");
        parameters.checkMatches(network);
        Path target = checkDirectory(directory);
        Path tmp;
        try {
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory next to " + target + ": "
                    + e.getMessage(), e);
        }
        try {
            // the exporter writes into a directory of its own, which must not exist yet
            Path out = tmp.resolve("model");
            write(network, parameters, out, options);
            move(out, target);
        } finally {
            deleteTree(tmp);
        }
        return SavedModelSignature.of(network, options);
    }

    /**
     * The checks {@link #export} makes of its target first, for callers that want to fail before loading a model.
     *
     * @param directory the SavedModel directory to be created
     * @return its absolute, normalized path
     * @throws IllegalArgumentException if its parent is not an existing directory, or it exists and is not an empty
     *                                  directory
     * @throws UncheckedIOException     if it cannot be listed
     */
    public static Path checkDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path target = directory.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || target.getFileName() == null) {
            throw new IllegalArgumentException("SavedModel directory " + directory + " has no parent directory; "
                    + "give a directory path such as models/mnist-savedmodel");
        }
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException("SavedModel directory " + directory + ": parent directory " + parent
                    + " does not exist; create it first or choose another path");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("SavedModel directory " + directory + " exists and is not a "
                        + "directory; give a new directory name (a SavedModel is a directory)");
            }
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("SavedModel directory " + directory + " exists and is not "
                            + "empty; it is not overwritten: remove it or give a new directory name");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
            }
        }
        return target;
    }

    /** Builds the graph and session, writes the variables and exports into {@code out} (which must not exist). */
    private static void write(Network network, Parameters parameters, Path out, SavedModelExportOptions options) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(META_PRODUCER, PRODUCER);
        provenance.put(META_VERSION, VERSION);
        provenance.put(META_SPEC, ModelFile.specText(network));
        provenance.put(META_TIME_STEPS, String.valueOf(options.timeSteps()));
        try (Graph graph = new Graph()) {
            Variables vars = new Variables(org.tensorflow.op.Ops.create(graph).withSubScope("parameters"), network);
            ExportGraph.Signatures sigs = ExportGraph.build(graph, vars, network, options, provenance);
            try (Session session = new Session(graph)) {
                vars.write(session, parameters);
                SavedModelBundle.exporter(out.toString()).withTags(options.tags().toArray(new String[0]))
                        .withSession(session).withSignature(sigs.serving()).withSignature(sigs.metadata()).export();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write SavedModel to " + out + ": " + e.getMessage(), e);
        }
    }

    /** Renames the finished export to the target: atomically, over an empty directory if there is one. */
    private static void move(Path from, Path target) {
        try {
            try {
                Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(target);
                Files.move(from, target);
            }
        } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
            throw new IllegalArgumentException("SavedModel directory " + target + " was filled by someone else during "
                    + "the export; it is not overwritten: remove it or give a new directory name", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the SavedModel into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary tree (best effort; the target is not in it). */
    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a hidden sibling of the target, named after it
                }
            });
        } catch (IOException ignored) {
            // best effort, as above
        }
    }
}
