package io.github.recurra.onnx;

import io.github.recurra.api.io.LibraryVersion;
import ai.onnx.proto.OnnxMl.ModelProto;
import io.github.recurra.api.io.AtomicFiles;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Export to and import from ONNX files.
 *
 * <pre>{@code
 * OnnxFormat.write(network, model.parameters(), Path.of("mnist.onnx"), OnnxExportOptions.defaults());
 * OnnxModel imported = OnnxFormat.read(Path.of("from-pytorch.onnx"));
 * Model m = backend.compile(imported.network(), imported.parameters());
 * }</pre>
 *
 * <p>Exported files use the standard recurrent operators, one node per layer, with batch-major input
 * {@code [batch, time, features]} named {@link OnnxNames#INPUT} and dynamic batch and time dimensions; the names of
 * the other inputs and outputs are in {@link OnnxNames}. The metadata holds the producer ({@value #PRODUCER} and its
 * version), the network spec ({@value #META_SPEC}) and the parameter layout ({@value #META_LAYOUT}).
 *
 * <p>Import reads the graph: the recurrent operators, how their outputs are merged and read, and the dense head.
 * Files written by Recurra and by PyTorch's {@code torch.onnx.export} of {@code nn.LSTM}, {@code nn.GRU} and
 * {@code nn.RNN} followed by an {@code nn.Linear} are understood; anything else is rejected with a message that names
 * the node. Keras models converted by tf2onnx are not supported: their LSTM pattern could not be produced or tested
 * here (no TensorFlow for Python), so such files are read only as far as they use the patterns above. The bytes are
 * validated (sizes, types, dimensions, references, cycles, external data) before anything is
 * allocated from them. Thread-safe: every method is static and keeps no state.
 */
public final class OnnxFormat {
    /** The producer name written into every exported model. */
    public static final String PRODUCER = "recurra";
    /** Metadata key of the network spec text (as {@link io.github.recurra.api.io.ModelFile#specText}). */
    public static final String META_SPEC = "recurra.spec";
    /** Metadata key of the parameter layout description. */
    public static final String META_LAYOUT = "recurra.layout";
    /** The parameter layout written under {@link #META_LAYOUT}. */
    static final String LAYOUT = "ONNX operator layout: layer<k>.W [dirs, G*hidden, input], layer<k>.R [dirs, "
            + "G*hidden, hidden], layer<k>.B [dirs, 2*G*hidden] (input bias then recurrent bias), layer<k>.P [dirs, "
            + "3*hidden] (i o f); gates LSTM i o f c, GRU z r h, RNN one; direction 0 forward, 1 reverse; "
            + "head.W [outputs, features], head.B [outputs]";
    /** The largest file {@link #read(Path)} accepts, 2 GiB (the protobuf limit). */
    public static final long MAX_BYTES = Integer.MAX_VALUE;

    private static final String VERSION = LibraryVersion.get();

    private OnnxFormat() {
    }

    /** @return this library's version, as written into the producer version */
    public static String version() {
        return VERSION;
    }

    /**
     * Exports a network as the bytes of an ONNX model.
     *
     * @param network    the network
     * @param parameters its parameters, canonical names and shapes
     * @param options    what the graph takes and returns, and the opset
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException if the parameters do not match the network
     */
    public static byte[] toBytes(Network network, Parameters parameters, OnnxExportOptions options) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(options, "options");
        return Exporter.export(network, parameters, options).toByteArray();
    }

    /**
     * Exports a network to a file, atomically (a crash mid-write leaves the previous file intact).
     *
     * @param network    the network
     * @param parameters its parameters
     * @param file       the target; its directory must exist
     * @param options    what the graph takes and returns, and the opset
     * @throws UncheckedIOException     if writing fails
     * @throws IllegalArgumentException if the parameters do not match the network
     */
    public static void write(Network network, Parameters parameters, Path file, OnnxExportOptions options) {
        byte[] bytes = toBytes(network, parameters, options);
        AtomicFiles.write(file, bytes);
    }

    /**
     * Imports an ONNX file.
     *
     * @param file the file
     * @return the network, its parameters and what was learned about the file
     * @throws IllegalArgumentException if the file is not a valid ONNX model, or holds something Recurra does not
     *                                  represent; the message names the file, the node and what is supported
     * @throws UncheckedIOException     if it cannot be read
     */
    public static OnnxModel read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("ONNX file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX file " + file + ": " + e.getMessage(), e);
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("ONNX file " + file + " has " + size + " bytes, more than the "
                    + MAX_BYTES + " a protobuf model can hold; models with external data are not supported");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX file " + file + ": " + e.getMessage(), e);
        }
        return fromBytes(bytes, "ONNX file " + file);
    }

    /**
     * Imports the bytes of an ONNX model.
     *
     * @param bytes a serialized {@code ModelProto}
     * @return as {@link #read(Path)}
     * @throws IllegalArgumentException as {@link #read(Path)}
     */
    public static OnnxModel fromBytes(byte[] bytes) {
        return fromBytes(Objects.requireNonNull(bytes, "bytes"), "ONNX model bytes");
    }

    /** The longest sequence {@link #toUnrolledBytes} unrolls (the graph grows linearly with the steps). */
    public static final int MAX_UNROLLED_STEPS = Unrolled.MAX_STEPS;

    /**
     * Whether {@link #toUnrolledBytes} can write a network: every layer is an RNN (tanh, relu or sigmoid) or a GRU
     * (default activations) that reads forwards, without clip.
     *
     * @param network a network
     * @return whether its unrolled graph computes what its standard graph does (calls with lengths aside)
     */
    public static boolean canUnroll(Network network) {
        return Unrolled.supports(Objects.requireNonNull(network, "network"));
    }

    /**
     * A graph for runtimes, not for interchange: the recurrence unrolled over a fixed number of steps into matrix
     * products and element-wise operators (opset 11), the same arithmetic as the standard operators up to the order of
     * float32 sums. ONNX Runtime's own RNN and GRU kernels are slow on batches; the ONNX Runtime backend runs this
     * graph where it measured faster. It has no {@link OnnxNames#SEQUENCE_LENS} input; its inputs and outputs are
     * otherwise those of the standard graph with final states and the output.
     *
     * @param network       a network that {@link #canUnroll}
     * @param parameters    its parameters
     * @param steps         the sequence length T, 1 to {@link #MAX_UNROLLED_STEPS}
     * @param initialStates whether the graph takes initial states
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException if the network cannot be unrolled, or for steps out of range
     */
    public static byte[] toUnrolledBytes(Network network, Parameters parameters, int steps, boolean initialStates) {
        parameters.checkMatches(network);
        return Unrolled.build(network, parameters, steps, initialStates);
    }

    private static OnnxModel fromBytes(byte[] bytes, String source) {
        ModelProto model = ModelChecks.parse(bytes, source);
        return Importer.read(model, ModelChecks.check(model, source), source);
    }
}
