package io.github.recurra.examples;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A network and its parameters read from a file the tool accepts as {@code --model}: a Recurra model file
 * ({@link ModelFile#load}, checkpoints included) or an ONNX file ({@link OnnxFormat#read}: ours, or PyTorch's
 * {@code torch.onnx.export} of {@code nn.LSTM}/{@code nn.GRU}/{@code nn.RNN} and {@code nn.Linear}).
 *
 * <p>The kind is read from the file's first bytes: a Recurra model file starts with {@code RECURRA1} (its format
 * is in {@link ModelFile}'s Javadoc). Anything else is read as ONNX, except a file named {@code *.recurra}, which
 * is read as a model file so that its error names what is wrong with it; a file that is neither is rejected with
 * both possibilities in the message.
 *
 * @param network    the network
 * @param parameters its parameters
 * @param source     what was read, for messages: {@code Recurra model file m.recurra} or {@code ONNX file m.onnx
 *                   (producer pytorch)}
 */
record LoadedModel(Network network, Parameters parameters, String source) {
    LoadedModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(source, "source");
    }

    /**
     * @param file a {@code .recurra} or {@code .onnx} file
     * @return its network and parameters
     * @throws IllegalArgumentException if the file is neither a valid model file nor a valid ONNX file Recurra
     *                                  reads; the message names the file and the problem
     * @throws UncheckedIOException     if it does not exist or cannot be read
     */
    static LoadedModel load(Path file) {
        if (!Files.exists(file)) {
            throw new UncheckedIOException("model " + file + " does not exist; give a .recurra file (ModelFile.save, "
                    + "recurra mnist --save) or an .onnx file", new NoSuchFileException(file.toString()));
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (ModelFile.isModelFile(file) || name.endsWith(".recurra")) {
            ModelFile m = ModelFile.load(file);
            return new LoadedModel(m.network(), m.parameters(), "Recurra model file " + file);
        }
        OnnxModel m = readOnnx(file);
        return new LoadedModel(m.network(), m.parameters(), "ONNX file " + file
                + (m.producer().isEmpty() ? "" : " (producer " + m.producer() + ")"));
    }

    /**
     * Reads a file that is not a Recurra model file as ONNX.
     *
     * @param file the file
     * @return the imported model
     * @throws IllegalArgumentException if it is not an ONNX model Recurra reads; unless the file is named
     *                                  {@code *.onnx}, the message says it is not a Recurra model file either
     */
    static OnnxModel readOnnx(Path file) {
        try {
            return OnnxFormat.read(file);
        } catch (IllegalArgumentException e) {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                throw e;
            }
            throw new IllegalArgumentException("model " + file + " is neither a Recurra model file (which starts with "
                    + "RECURRA1) nor an ONNX model Recurra reads: " + e.getMessage(), e);
        }
    }
}
