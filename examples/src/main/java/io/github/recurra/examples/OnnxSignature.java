package io.github.recurra.examples;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxNames;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The graph inputs and outputs that {@link io.github.recurra.onnx.OnnxFormat#write} gives a network under some
 * options, in the order the file declares them, as {@link OnnxNames} and {@link OnnxExportOptions} document them:
 * {@code input}, then {@code sequence_lens} with lengths, then per layer {@code initial_h.k} (and
 * {@code initial_c.k} for an LSTM) with initial states; outputs per layer {@code final_h.k} (and {@code final_c.k})
 * with final states, then {@code output} (without a head, or when asked for), {@code logits} and, for a classifier,
 * {@code probabilities}. For printing what a command wrote; {@code ExportCommandTest} holds it to the written graph.
 *
 * @param inputs  the graph inputs
 * @param outputs the graph outputs
 */
record OnnxSignature(List<Value> inputs, List<Value> outputs) {

    /**
     * One graph input or output.
     *
     * @param name its name
     * @param type its element type, {@code float} or {@code int32}
     * @param dims its dimensions: {@code batch} and {@code time} are dynamic, numbers fixed
     */
    record Value(String name, String type, List<String> dims) {
        @Override
        public String toString() {
            return name + " " + type + " [" + String.join(", ", dims) + "]";
        }
    }

    OnnxSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * @param network the exported network
     * @param options the export options
     * @return the graph's inputs and outputs
     */
    static OnnxSignature of(Network network, OnnxExportOptions options) {
        List<Value> in = new ArrayList<>();
        List<Value> out = new ArrayList<>();
        in.add(floats(OnnxNames.INPUT, "batch", "time", network.inputSize()));
        if (options.sequenceLengths()) {
            in.add(new Value(OnnxNames.SEQUENCE_LENS, "int32", List.of("batch")));
        }
        List<Sequence> layers = network.layers();
        for (int k = 0; k < layers.size(); k++) {
            Cell c = layers.get(k).cell();
            int dirs = layers.get(k).direction().count();
            if (options.initialStates()) {
                in.add(floats(OnnxNames.initialH(k), dirs, "batch", c.hiddenSize()));
                if (c.hasCellState()) {
                    in.add(floats(OnnxNames.initialC(k), dirs, "batch", c.hiddenSize()));
                }
            }
            if (options.finalStates()) {
                out.add(floats(OnnxNames.finalH(k), dirs, "batch", c.hiddenSize()));
                if (c.hasCellState()) {
                    out.add(floats(OnnxNames.finalC(k), dirs, "batch", c.hiddenSize()));
                }
            }
        }
        boolean sequences = layers.get(layers.size() - 1).returnSequences();
        if (network.head().isEmpty() || options.output()) {
            out.add(perStep(OnnxNames.OUTPUT, sequences, network.outputSize()));
        }
        network.head().ifPresent(h -> {
            boolean everyStep = h.target() == Head.Target.EVERY_STEP;
            out.add(perStep(OnnxNames.LOGITS, everyStep, h.outputs()));
            if (h.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY && options.probabilities()) {
                out.add(perStep(OnnxNames.PROBABILITIES, everyStep, h.outputs()));
            }
        });
        return new OnnxSignature(in, out);
    }

    /** @return the inputs and the outputs, each as a comma-separated list, on two indented lines */
    String describe() {
        return "  inputs:  " + join(inputs) + System.lineSeparator() + "  outputs: " + join(outputs);
    }

    private static String join(List<Value> values) {
        return values.stream().map(Value::toString).collect(Collectors.joining(", "));
    }

    private static Value perStep(String name, boolean everyStep, int size) {
        return everyStep ? floats(name, "batch", "time", size) : floats(name, "batch", size);
    }

    private static Value floats(String name, Object... dims) {
        List<String> d = new ArrayList<>();
        for (Object o : dims) {
            d.add(String.valueOf(o));
        }
        return new Value(name, "float", d);
    }
}
