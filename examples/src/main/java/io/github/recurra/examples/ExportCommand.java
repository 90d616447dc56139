package io.github.recurra.examples;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.tensorflow.SavedModelExport;
import io.github.recurra.tensorflow.SavedModelExportOptions;
import io.github.recurra.tensorflow.SavedModelSignature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes a model file as ONNX or as a TensorFlow SavedModel: {@link LoadedModel#load} reads it; {@link OnnxFormat#write}
 * writes the standard {@code LSTM}/{@code GRU}/{@code RNN} graph atomically, or {@link SavedModelExport#export} a
 * SavedModel directory unrolled for {@code --time-steps}; the command prints what it wrote and its inputs and outputs.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model file as ONNX (standard LSTM, GRU and RNN operators; batch-major input "
                + "[batch, time, features] with dynamic batch and time), or as a TensorFlow SavedModel directory "
                + "(--format savedmodel: the graph is unrolled for exactly --time-steps steps, dynamic batch; pad "
                + "shorter sequences and give --lengths).",
            "Example: recurra export --model mnist.recurra --output mnist.onnx",
            "Example: recurra export --model mnist.recurra --format savedmodel --time-steps 28 --output mnist-tf"})
final class ExportCommand implements Runnable {

    /** The formats written. */
    enum Format {
        /** An ONNX file. */
        onnx,
        /** A TensorFlow SavedModel directory. */
        savedmodel
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "onnx (default) or savedmodel.")
    Format format;

    @Option(names = "--time-steps", paramLabel = "T", description = "savedmodel only, required there: the time steps "
            + "the graph is unrolled for (1 to " + SavedModelExportOptions.MAX_TIME_STEPS + "); it serves sequences of "
            + "exactly T steps.")
    Integer timeSteps;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model: a .recurra file (ModelFile.save, recurra mnist --save) or an .onnx file.")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE.onnx|DIR",
            description = "Where to write the ONNX file (replaced atomically; its directory must exist), or the "
                    + "SavedModel directory (it must not exist or be empty; written whole, then renamed into place).")
    Path output;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxExportOptions.DEFAULT_OPSET,
            description = "ONNX opset, " + OnnxExportOptions.MIN_OPSET + " to " + OnnxExportOptions.MAX_OPSET
                    + " (default: ${DEFAULT-VALUE}, which the most runtimes load).")
    int opset;

    @Option(names = "--lengths", description = "Give the graph a sequence_lens input (lengths for savedmodel; int32 "
            + "[batch]: each sequence's length; steps after it are padding).")
    boolean lengths;

    @Option(names = "--states", description = "Give the graph every layer's initial states as inputs "
            + "(initial_h.k, initial_c.k for an LSTM; h_0_k, c_0_k for savedmodel) and its final states as outputs "
            + "(final_h.k, final_c.k; a SavedModel always returns h_n_k, c_n_k).")
    boolean states;

    @Override
    public void run() {
        if (format == Format.savedmodel) {
            runSavedModel();
            return;
        }
        if (timeSteps != null) {
            throw new IllegalArgumentException("--time-steps applies to --format savedmodel only (an ONNX graph has a "
                    + "dynamic time axis); leave it out or add --format savedmodel");
        }
        // the options and the output directory first: a mistake there should not wait for a large model to load
        OnnxExportOptions options = OnnxExportOptions.builder().opset(opset).sequenceLengths(lengths)
                .initialStates(states).finalStates(states).build();
        Cli.requireDirectoryOf(output, "--output");
        LoadedModel m = LoadedModel.load(model);
        write(m.network(), m.parameters(), output, options, m.source(), System.out);
    }

    /**
     * Exports and prints what was written: the file, its opset and source, the network, the graph's inputs and
     * outputs.
     *
     * @param network    the network
     * @param parameters its parameters
     * @param file       the ONNX file to write (atomically)
     * @param options    the export options
     * @param source     where the network came from, for the first line
     * @param out        where to print
     */
    static void write(Network network, Parameters parameters, Path file, OnnxExportOptions options, String source,
            PrintStream out) {
        OnnxFormat.write(network, parameters, file, options);
        out.printf(Locale.ROOT, "Wrote ONNX file %s (opset %d) from %s%n", file, options.opset(), source);
        out.println("  network: " + network);
        out.println(OnnxSignature.of(network, options).describe());
    }

    private void runSavedModel() {
        if (spec != null && spec.commandLine().getParseResult().hasMatchedOption("--opset")) {
            throw new IllegalArgumentException("--opset applies to --format onnx only; leave it out for savedmodel");
        }
        if (timeSteps == null) {
            throw new IllegalArgumentException("--format savedmodel needs --time-steps T: the graph is unrolled for "
                    + "exactly T steps (give the longest sequence it will serve; pad shorter ones and add --lengths)");
        }
        SavedModelExportOptions options = SavedModelExportOptions.builder(timeSteps).lengths(lengths)
                .initialStates(states).build();
        SavedModelExport.checkDirectory(output);
        LoadedModel m = LoadedModel.load(model);
        writeSavedModel(m.network(), m.parameters(), output, options, m.source(), System.out);
    }

    /**
     * Exports a SavedModel directory and prints what was written: the directory, the steps, signature key and tags,
     * the source, the network, the signature's inputs and outputs.
     *
     * @param network    the network
     * @param parameters its parameters
     * @param directory  the SavedModel directory to create
     * @param options    the export options
     * @param source     where the network came from, for the first line
     * @param out        where to print
     */
    static void writeSavedModel(Network network, Parameters parameters, Path directory,
            SavedModelExportOptions options, String source, PrintStream out) {
        SavedModelSignature sig = SavedModelExport.export(network, parameters, directory, options);
        out.printf(Locale.ROOT, "Wrote TensorFlow SavedModel %s (%d time steps, signature %s, tags %s) from %s%n",
                directory, options.timeSteps(), sig.key(), String.join(",", sig.tags()), source);
        out.println("  network: " + network);
        out.println(sig.describe());
    }
}
