package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The serving signature {@link SavedModelExport} writes for a network, in the order below. Inputs: {@code inputs}
 * float32 {@code [batch, T, features]}; with lengths, {@code lengths} int32 {@code [batch]}; with initial states, per
 * layer k {@code h_0_<k>} (and {@code c_0_<k>} for an LSTM) float32 {@code [directions, batch, hidden]}. Outputs:
 * {@code output} (the last recurrent layer's output, {@code [batch, T, features]} if it returns sequences, else
 * {@code [batch, features]}); per layer {@code h_n_<k>} (and {@code c_n_<k>}), the states after each sequence's last
 * valid step; with a head {@code logits} ({@code [batch, outputs]}, or {@code [batch, T, outputs]} per step) and
 * {@code predictions} (softmax of the logits for a classifier, the logits for a regressor). These are the values of
 * {@link io.github.recurra.api.spi.Forward}, under the same names as there where one exists.
 *
 * @param key     the signature key
 * @param tags    the meta graph's tags
 * @param inputs  the signature's inputs
 * @param outputs the signature's outputs
 */
public record SavedModelSignature(String key, List<String> tags, List<Value> inputs, List<Value> outputs) {
    /** The sequences' input name. */
    public static final String INPUTS = "inputs";
    /** The lengths' input name. */
    public static final String LENGTHS = "lengths";
    /** The last recurrent layer's output. */
    public static final String OUTPUT = "output";
    /** The head's outputs. */
    public static final String LOGITS = "logits";
    /** Softmax of the logits (classifier) or the logits (regressor). */
    public static final String PREDICTIONS = "predictions";

    /**
     * One input or output.
     *
     * @param name its name in the signature
     * @param type {@code float32} or {@code int32}
     * @param dims its dimensions, -1 for the dynamic batch axis
     */
    public record Value(String name, String type, List<Integer> dims) {
        /**
         * Copies the dimensions.
         *
         * @param name its name in the signature
         * @param type {@code float32} or {@code int32}
         * @param dims its dimensions, -1 for the dynamic batch axis
         */
        public Value {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            dims = List.copyOf(dims);
        }

        /** @return e.g. {@code inputs float32 [batch, 28, 28]} */
        @Override
        public String toString() {
            return name + " " + type + " [" + dims.stream().map(d -> d < 0 ? "batch" : String.valueOf(d))
                    .collect(Collectors.joining(", ")) + "]";
        }
    }

    /**
     * Copies the lists.
     *
     * @param key     the signature key
     * @param tags    the meta graph's tags
     * @param inputs  the signature's inputs
     * @param outputs the signature's outputs
     */
    public SavedModelSignature {
        Objects.requireNonNull(key, "key");
        tags = List.copyOf(tags);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * @param layer a layer's index
     * @return its initial hidden state's input name
     */
    public static String initialH(int layer) {
        return "h_0_" + layer;
    }

    /**
     * @param layer a layer's index
     * @return its initial cell state's input name (LSTM)
     */
    public static String initialC(int layer) {
        return "c_0_" + layer;
    }

    /**
     * @param layer a layer's index
     * @return its final hidden state's output name
     */
    public static String finalH(int layer) {
        return "h_n_" + layer;
    }

    /**
     * @param layer a layer's index
     * @return its final cell state's output name (LSTM)
     */
    public static String finalC(int layer) {
        return "c_n_" + layer;
    }

    /**
     * @param network a network
     * @param options export options
     * @return the signature an export of the network with these options has
     */
    public static SavedModelSignature of(Network network, SavedModelExportOptions options) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(options, "options");
        int t = options.timeSteps();
        List<Value> in = new ArrayList<>();
        List<Value> out = new ArrayList<>();
        in.add(floats(INPUTS, -1, t, network.inputSize()));
        if (options.lengths()) {
            in.add(new Value(LENGTHS, "int32", List.of(-1)));
        }
        boolean sequences = network.layers().get(network.layers().size() - 1).returnSequences();
        out.add(sequences ? floats(OUTPUT, -1, t, network.outputSize()) : floats(OUTPUT, -1, network.outputSize()));
        for (int k = 0; k < network.layers().size(); k++) {
            Sequence s = network.layers().get(k);
            Cell c = s.cell();
            int dirs = s.direction().count();
            if (options.initialStates()) {
                in.add(floats(initialH(k), dirs, -1, c.hiddenSize()));
                if (c.hasCellState()) {
                    in.add(floats(initialC(k), dirs, -1, c.hiddenSize()));
                }
            }
            out.add(floats(finalH(k), dirs, -1, c.hiddenSize()));
            if (c.hasCellState()) {
                out.add(floats(finalC(k), dirs, -1, c.hiddenSize()));
            }
        }
        network.head().ifPresent(h -> {
            boolean everyStep = h.target() == Head.Target.EVERY_STEP;
            out.add(everyStep ? floats(LOGITS, -1, t, h.outputs()) : floats(LOGITS, -1, h.outputs()));
            out.add(everyStep ? floats(PREDICTIONS, -1, t, h.outputs()) : floats(PREDICTIONS, -1, h.outputs()));
        });
        return new SavedModelSignature(options.signatureKey(), options.tags(), in, out);
    }

    private static Value floats(String name, Integer... dims) {
        return new Value(name, "float32", List.of(dims));
    }

    /** @return the inputs and the outputs, each as a comma-separated list, on two indented lines */
    public String describe() {
        return "  inputs:  " + join(inputs) + System.lineSeparator() + "  outputs: " + join(outputs);
    }

    private static String join(List<Value> values) {
        return values.stream().map(Value::toString).collect(Collectors.joining(", "));
    }
}
