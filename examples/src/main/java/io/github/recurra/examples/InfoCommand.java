package io.github.recurra.examples;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.OptimizerText;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.train.Checkpoint;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * A summary of a model file, like Keras' {@code model.summary()}: one row per layer (cell and its options,
 * direction, hidden size, output shape, parameters), the head, the total parameter count, then what the file says
 * about itself (format, size, producer; for a checkpoint the step, epoch and optimizer).
 *
 * <p>Parameters are counted as they are stored, which is the ONNX layout: per direction an input weight
 * {@code [gates·hidden, input]}, a recurrent weight {@code [gates·hidden, hidden]}, two bias vectors
 * {@code [gates·hidden]} each (input and recurrent, as ONNX's {@code B} and PyTorch's {@code bias_ih}/{@code bias_hh})
 * and, for peephole LSTMs, {@code 3·hidden} peephole weights. The total is therefore what PyTorch's
 * {@code sum(p.numel() for p in model.parameters())} gives for the same network of {@code nn.LSTM}/{@code nn.GRU}/
 * {@code nn.RNN} layers and an {@code nn.Linear} head (PyTorch has no peepholes); Keras counts one bias vector for
 * its LSTM and RNN, and so {@code gates·hidden} fewer per direction and layer.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Summarise a model (.recurra model file or checkpoint, or .onnx): its layers, output shapes, "
                + "parameter counts and the file's metadata.", "Example: recurra info mnist.recurra"})
final class InfoCommand implements Runnable {

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "MODEL",
            description = "A .recurra model file or checkpoint, or an .onnx file.")
    Path file;

    /** Called by picocli. */
    InfoCommand() {
    }

    @Override
    public void run() {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("model " + file + " is a directory; give a .recurra or .onnx file");
        }
        if (!Files.exists(file)) {
            throw new UncheckedIOException("model " + file + " does not exist; give a .recurra or .onnx file",
                    new NoSuchFileException(file.toString()));
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new IllegalArgumentException("model " + file + " is empty (0 bytes); it is neither a Recurra model "
                    + "file nor an ONNX model");
        }
        List<String> meta = new ArrayList<>();
        Network network;
        Parameters parameters;
        boolean named = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".recurra");
        if (ModelFile.isModelFile(file) || named) {
            ModelFile m = ModelFile.load(file);
            network = m.network();
            parameters = m.parameters();
            meta.add(String.format(Locale.ROOT, "Format: Recurra model file, version 1 (%,d bytes)", size));
            if (m.has("trainer")) {
                Checkpoint c = Checkpoint.load(file);
                meta.add(String.format(Locale.ROOT, "Checkpoint: step %d, epoch %d (%d examples into it), batch "
                        + "%d, seed %d, last loss %.5f, %d optimizer updates%s", c.step(), c.epoch(), c.position(),
                        c.batchSize(), c.seed(), c.loss(), c.updates(), c.truncation() == null ? ""
                        : ", truncated BPTT " + c.truncation().forward() + "/" + c.truncation().backward()));
                meta.add("Optimizer: " + OptimizerText.write(c.optimizer()));
            }
        } else {
            OnnxModel m = LoadedModel.readOnnx(file);
            network = m.network();
            parameters = m.parameters();
            meta.add(String.format(Locale.ROOT, "Format: ONNX%s (%,d bytes)", m.opset() > 0 ? ", opset " + m.opset()
                    : "", size));
            meta.add("Producer: " + (m.producer().isEmpty() ? "(not named)" : m.producer()
                    + (m.producerVersion().isEmpty() ? "" : " " + m.producerVersion())));
            m.notes().forEach(n -> meta.add("Note: " + n));
        }
        System.out.println("Model: " + file);
        print(network, parameters, System.out);
        meta.forEach(System.out::println);
    }

    /**
     * Prints the table and the total.
     *
     * @param network    the network
     * @param parameters its parameters (their count is checked against the table's)
     * @param out        where to print
     */
    static void print(Network network, Parameters parameters, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "layer", "cell", "direction", "hidden", "output shape", "parameters"});
        rows.add(new String[] {"", "input", "", "", "", "[batch, time, " + network.inputSize() + "]", ""});
        long total = 0;
        for (int k = 0; k < network.layers().size(); k++) {
            Sequence s = network.layers().get(k);
            long n = layerParameters(network, k);
            total += n;
            rows.add(new String[] {Integer.toString(k + 1), "recurrent" + (k > 0 && network.dropout() > 0
                    ? " (dropout " + network.dropout() + " on its input)" : ""), describe(s.cell()), direction(s),
                Integer.toString(s.cell().hiddenSize()), shape(s.returnSequences(), s.outputSize()),
                String.format(Locale.ROOT, "%,d", n)});
        }
        if (network.head().isPresent()) {
            Head h = network.head().get();
            long n = (long) h.outputs() * (network.outputSize() + 1);
            total += n;
            rows.add(new String[] {"", "head", "dense, " + (h.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY
                    ? "softmax cross-entropy" : "mean squared error"), h.target() == Head.Target.LAST_STEP
                    ? "last step" : "every step", "", shape(h.target() == Head.Target.EVERY_STEP, h.outputs()),
                String.format(Locale.ROOT, "%,d", n)});
        }
        if (total != parameters.count()) {
            throw new IllegalStateException("the layers add up to " + total + " parameters but the file holds "
                    + parameters.count() + "; the file's parameters do not fit its network");
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder line = new StringBuilder();
            String[] r = rows.get(i);
            for (int c = 0; c < r.length; c++) {
                boolean right = c == 0 || c == 4 || c == r.length - 1;
                String cell = right ? " ".repeat(width[c] - r[c].length()) + r[c]
                        : r[c] + " ".repeat(width[c] - r[c].length());
                line.append(c == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
            if (i == 0) {
                out.println("-".repeat(line.toString().stripTrailing().length()));
            }
        }
        out.printf(Locale.ROOT, "Total parameters: %,d%n", total);
        out.println("  (as PyTorch's sum(p.numel()) counts them: two bias vectors per layer and direction, as ONNX "
                + "stores them)");
    }

    /**
     * @param network a network
     * @param layer   one of its layers
     * @return the layer's parameters: its weights, both bias vectors and peepholes, over its directions
     */
    static long layerParameters(Network network, int layer) {
        long n = 0;
        for (Map.Entry<String, int[]> e : Parameters.shapesOf(network).entrySet()) {
            String name = e.getKey();
            if (name.equals(Parameters.w(layer)) || name.equals(Parameters.r(layer))
                    || name.equals(Parameters.b(layer)) || name.equals(Parameters.p(layer))) {
                long c = 1;
                for (int d : e.getValue()) {
                    c *= d;
                }
                n += c;
            }
        }
        return n;
    }

    private static String shape(boolean everyStep, int features) {
        return everyStep ? "[batch, time, " + features + "]" : "[batch, " + features + "]";
    }

    private static String direction(Sequence s) {
        String d = s.direction().onnxName();
        if (s.direction() == Direction.BIDIRECTIONAL && s.mergeMode() != MergeMode.CONCAT) {
            d += " (" + s.mergeMode().name().toLowerCase(Locale.ROOT) + ")";
        }
        if (!s.returnSequences()) {
            d += s.lastStep() == LastStep.FINAL_STATES ? ", last step" : ", last time index";
        }
        return d;
    }

    /** @return the cell's kind and the options that differ from its defaults */
    static String describe(Cell cell) {
        List<String> o = new ArrayList<>();
        if (cell instanceof LstmCell l) {
            o.add("forget bias " + l.forgetBias());
            if (l.hasPeepholes()) {
                o.add("peepholes");
            }
            if (l.coupledInputForget()) {
                o.add("coupled input-forget");
            }
            if (!l.gateActivation().equals(Activation.sigmoid()) || !l.cellActivation().equals(Activation.tanh())
                    || !l.outputActivation().equals(Activation.tanh())) {
                o.add(l.gateActivation() + "/" + l.cellActivation() + "/" + l.outputActivation());
            }
        } else if (cell instanceof GruCell g) {
            o.add(g.linearBeforeReset() ? "reset after product" : "reset before product");
            if (!g.gateActivation().equals(Activation.sigmoid())
                    || !g.candidateActivation().equals(Activation.tanh())) {
                o.add(g.gateActivation() + "/" + g.candidateActivation());
            }
        } else if (cell instanceof RnnCell r) {
            o.add(r.activation().toString());
        }
        if (cell.hasClip()) {
            o.add("clip " + cell.clip());
        }
        return cell.kind() + (o.isEmpty() ? "" : " (" + String.join(", ", o) + ")");
    }
}
