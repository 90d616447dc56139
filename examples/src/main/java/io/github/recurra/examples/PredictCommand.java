package io.github.recurra.examples;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a model on sequences from a NumPy file: reads the model ({@link LoadedModel#load}: a Recurra model file, or an
 * ONNX file imported and compiled like any network), the float32 input {@code [batch, time, features]}
 * ({@link NpyFiles#readSequences}, which rejects other types, ranks, feature counts and non-finite values), runs it on
 * the chosen backend {@code --batch} sequences at a time, and writes float32 {@code .npy} atomically: the logits
 * {@code [batch, outputs]} (or {@code [batch, time, outputs]} for a per-step head) when the network has a head, else
 * the last layer's output {@code [batch, time, features]} or {@code [batch, features]}.
 *
 * <p>Memory: the input and the output arrays are held whole (the npy library reads arrays whole); the network's
 * intermediate values exist for one batch at a time, so {@code --batch} bounds them.
 *
 * <p>The default backend is {@code cpu}: the reference backend, always on the class path, able to run every network
 * the API builds, and the same for both kinds of file; {@code --backend onnx} runs the model on ONNX Runtime where
 * that backend is installed.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run a model (.recurra or .onnx) on float32 sequences [batch, time, features] from a .npy "
                + "file and write the logits (or, without a head, the network's output) as float32 .npy.",
            "Example: recurra predict --model mnist.onnx --input rows.npy --output logits.npy"})
final class PredictCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model: a .recurra file (ModelFile.save, recurra mnist --save) or an .onnx file "
                    + "(recurra export, or PyTorch's torch.onnx.export of nn.LSTM/GRU/RNN and nn.Linear).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "IN.npy",
            description = "float32 .npy of shape [batch, time, features], features the model's input size.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.npy",
            description = "Where to write the float32 result (replaced atomically; its directory must exist).")
    Path output;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "Backend that runs the model (default: ${DEFAULT-VALUE}; onnx runs it on ONNX Runtime).")
    String backend;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128",
            description = "Sequences per forward pass (default: ${DEFAULT-VALUE}); bounds the memory the network "
                    + "needs, not the result.")
    int batch;

    @Override
    public void run() {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1 but was " + batch);
        }
        Cli.requireDirectoryOf(output, "--output");
        Cli.provider("--backend", backend);
        LoadedModel m = LoadedModel.load(model);
        Tensor x = NpyFiles.readSequences(input, m.network().inputSize(), "input");
        Tensor y;
        String on;
        try (Backend be = Backends.named(backend); Model compiled = be.compile(m.network(), m.parameters())) {
            on = be.name();
            y = predict(compiled, x, batch);
        }
        NpyFiles.writeFloats(output, y.data(), y.shape());
        int batches = (x.dim(0) + batch - 1) / batch;
        System.out.printf(Locale.ROOT, "Wrote %s: %s, float32 %s, for %d sequences of %d steps from %s; backend %s, "
                        + "%d %s of up to %d%n", output, what(m.network()), y.shapeString(), x.dim(0), x.dim(1),
                m.source(), on, batches, batches == 1 ? "batch" : "batches", batch);
    }

    /** @return what {@link #predict} returns for this network, in words */
    static String what(Network network) {
        if (network.head().isPresent()) {
            return "logits";
        }
        return network.layers().get(network.layers().size() - 1).returnSequences() ? "outputs at every step"
                : "last-step outputs";
    }

    /**
     * Runs the model on {@code inputs} in batches of at most {@code batchSize} sequences, in order, from zero initial
     * states and over every step.
     *
     * @param model     the compiled model
     * @param inputs    {@code [n, time, features]}, finite (not modified)
     * @param batchSize sequences per forward pass, at least 1
     * @return the logits of all {@code n} sequences with a head, else the last layer's outputs; the leading axis is
     *     {@code n}, the others are those of one batch's result
     * @throws IllegalArgumentException if the result would not fit in one Java array
     */
    static Tensor predict(Model model, Tensor inputs, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        int n = inputs.dim(0);
        int t = inputs.dim(1);
        int f = inputs.dim(2);
        int per = t * f;
        boolean head = model.network().head().isPresent();
        float[] out = null;
        int[] shape = null;
        int outPer = 0;
        for (int from = 0; from < n; from += batchSize) {
            int b = Math.min(batchSize, n - from);
            Tensor part = Tensor.wrap(Arrays.copyOfRange(inputs.data(), from * per, (from + b) * per), b, t, f);
            Forward fw = model.forward(part);
            Tensor r = head ? fw.logits() : fw.output();
            if (r.dim(0) != b || (out != null && r.size() != b * outPer)) {
                throw new IllegalStateException("backend '" + model.backend() + "' returned a result of shape "
                        + r.shapeString() + " for a batch of " + b + " sequences" + (out == null ? "" : ", unlike the "
                        + "first batch's " + outPer + " values per sequence") + "; this is a bug in the backend");
            }
            if (out == null) {
                outPer = r.size() / b;
                long total = (long) n * outPer;
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("the result would hold " + total + " values (" + n
                            + " sequences of " + outPer + "), more than one Java array can; split the input into "
                            + "files of at most " + (Integer.MAX_VALUE - 8) / outPer + " sequences");
                }
                shape = r.shape();
                shape[0] = n;
                out = new float[(int) total];
            }
            System.arraycopy(r.data(), 0, out, from * outPer, b * outPer);
        }
        return Tensor.wrap(out, shape);
    }
}
