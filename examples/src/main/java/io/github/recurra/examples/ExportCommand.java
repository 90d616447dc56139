package io.github.recurra.examples;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a model file as ONNX: {@link LoadedModel#load} reads it, {@link OnnxFormat#write} writes the standard
 * {@code LSTM}/{@code GRU}/{@code RNN} graph atomically, and the command prints the file, its opset and its inputs and
 * outputs.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model file as ONNX (standard LSTM, GRU and RNN operators; batch-major input "
                + "[batch, time, features] with dynamic batch and time).",
            "Example: recurra export --model mnist.recurra --output mnist.onnx"})
final class ExportCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model: a .recurra file (ModelFile.save, recurra mnist --save) or an .onnx file.")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE.onnx",
            description = "Where to write the ONNX file (replaced atomically; its directory must exist).")
    Path output;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxExportOptions.DEFAULT_OPSET,
            description = "ONNX opset, " + OnnxExportOptions.MIN_OPSET + " to " + OnnxExportOptions.MAX_OPSET
                    + " (default: ${DEFAULT-VALUE}, which the most runtimes load).")
    int opset;

    @Option(names = "--lengths", description = "Give the graph a sequence_lens input (int32 [batch]: each sequence's "
            + "length; steps after it are padding).")
    boolean lengths;

    @Option(names = "--states", description = "Give the graph every layer's initial states as inputs "
            + "(initial_h.k, initial_c.k for an LSTM) and its final states as outputs (final_h.k, final_c.k).")
    boolean states;

    @Override
    public void run() {
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
}
