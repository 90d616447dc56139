package io.github.recurra.onnx;

import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.util.List;
import java.util.Objects;

/**
 * An imported ONNX model: a network and its parameters that any backend compiles, plus what was read from the file.
 *
 * @param network  the network the graph computes
 * @param parameters its parameters, canonical names and shapes
 * @param producer        the producer named in the file ({@code recurra}, {@code pytorch}, ...), possibly empty
 * @param producerVersion the producer's version named in the file ({@code 0.1.0}, {@code 1.13.1}), possibly empty
 * @param opset           the version of the default ({@code ai.onnx}) operator set the graph imports, 0 if unknown
 * @param notes           how the graph was read: which graph inputs carry initial states or lengths, which values
 *                        came from Recurra's metadata, and anything adjusted (for example a head widened to both
 *                        directions)
 */
public record OnnxModel(Network network, Parameters parameters, String producer, String producerVersion, long opset,
        List<String> notes) {

    /**
     * Copies the notes.
     *
     * @param network    the network the graph computes
     * @param parameters its parameters, canonical names and shapes
     * @param producer   the producer named in the file ({@code recurra}, {@code pytorch}, ...), possibly empty
     * @param producerVersion the producer's version named in the file, possibly empty
     * @param opset      the version of the default operator set the graph imports, 0 if unknown
     * @param notes      how the graph was read: which graph inputs carry initial states or lengths, which values came
     *                   from Recurra's metadata, and anything adjusted (for example a head widened to both directions)
     */
    public OnnxModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(producerVersion, "producerVersion");
        notes = List.copyOf(notes);
    }

    /**
     * A model whose producer version and operator set are unknown.
     *
     * @param network    the network
     * @param parameters its parameters
     * @param producer   the producer, possibly empty
     * @param notes      how the graph was read
     */
    public OnnxModel(Network network, Parameters parameters, String producer, List<String> notes) {
        this(network, parameters, producer, "", 0, notes);
    }

    /**
     * The same model with another training loss on its head. A graph says nothing about the loss a model was trained
     * with: a file without a {@code Softmax} on its logits imports as a classifier when it has at least 2 outputs
     * (PyTorch applies the softmax inside its loss), unless Recurra's metadata says otherwise.
     *
     * @param loss the loss
     * @return the model with that loss
     * @throws IllegalStateException if the network has no head
     */
    public OnnxModel withHeadLoss(Head.Loss loss) {
        Head h = network.requireHead();
        Network.Builder b = Network.builder(network.inputSize()).dropout(network.dropout());
        network.layers().forEach(b::layer);
        b.head(Head.of(h.outputs(), h.target(), loss));
        return new OnnxModel(b.build(), parameters, producer, producerVersion, opset, notes);
    }
}
