package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.param.Initialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the tool says: help without side effects and with every default, one-line errors on the error stream with a
 * non-zero status for bad input of every command, and the messages for backends, cells, text files and model files.
 */
class CliMessagesTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun r, String expected) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in\n" + r);
    }

    @Test
    void helpOfEveryCommandTouchesNothing() {
        Path data = dir.resolve("help-data");
        for (List<String> args : List.of(List.of("mnist", "--help", "--data", data.toString(), "--download"),
                List.of("fetch", "mnist", "--data", data.toString(), "--help"), List.of("fetch", "--help"),
                List.of("task", "--help"), List.of("bench", "--help"), List.of("export", "--help"),
                List.of("predict", "--help"), List.of("soak", "--help"), List.of("--help"), List.of("help", "mnist"))) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), args + "\n" + r);
            assertTrue(r.out().contains("Usage: recurra"), args + "\n" + r);
            assertEquals("", r.err(), args + "\n" + r);
        }
        assertFalse(Files.exists(data), "help created no directory");
    }

    @Test
    void helpShowsTheDefaultOfEveryOptionThatHasOne() {
        CommandLine main = Main.commandLine();
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : main.getSubcommands().entrySet()) {
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                String def = o.defaultValue();
                if (def == null || o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String text = String.join(" ", o.description());
                if (!text.contains("${DEFAULT-VALUE}") && !text.contains(def)) {
                    undocumented.add(e.getKey() + " " + o.longestName() + " (default " + def + ")");
                }
            }
        }
        assertEquals(List.of(), undocumented);
        String mnist = CliRun.of("mnist", "--help").out().replaceAll("\\s+", " ");
        assertTrue(mnist.contains("--seed=<seed> Seed of initialisation and shuffling (default: 0)."), mnist);
        String task = CliRun.of("task", "--help").out().replaceAll("\\s+", " ");
        assertTrue(task.contains("--seed=<seed> Seed of data, initialisation and shuffling (default: 0)."), task);
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreOneLineErrors() {
        assertOneLineError(CliRun.of("mnist", "--no-such-option"), "Unknown option: '--no-such-option' (see "
                + "recurra mnist --help)");
        assertOneLineError(CliRun.of("task"), "Missing required option: '--task=<task>' (see recurra task --help)");
        assertOneLineError(CliRun.of("fetch"), "Missing required parameter: 'DATASET'");
        assertOneLineError(CliRun.of("mnist", "--seed", "x"), "Invalid value for option '--seed'");
        assertOneLineError(CliRun.of("predict", "--model", "m"), "Missing required options");
        assertOneLineError(CliRun.of("export", "--model", dir.resolve("none.recurra").toString(), "--output",
                dir.resolve("o.onnx").toString()), "does not exist");
        assertOneLineError(CliRun.of("bench", "--rounds", "0"), "--rounds and --steps must be at least 1");
        assertOneLineError(CliRun.of("soak", "--steps", "0"), "--steps and --every must be at least 1");
        assertOneLineError(CliRun.of("fetch", "cifar"), "unknown data set 'cifar'; choose mnist or vega-datasets");
        assertOneLineError(CliRun.of("nosuchcommand"), "Unmatched argument");
    }

    @Test
    void anUnknownBackendListsTheAvailableOnesInEveryCommand() {
        String available = "available on the classpath: cpu, onnx, tensorflow";
        for (List<String> args : List.of(List.of("mnist", "--data", dir.toString()), List.of("task", "--task", "sine"),
                List.of("soak"), List.of("bench", "--peer", "none"),
                List.of("predict", "--model", "m.recurra", "--input", "x.npy", "--output", "y.npy"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--backend", "pytorch"));
            assertOneLineError(CliRun.of(all.toArray(String[]::new)), "--backend pytorch: no backend is named "
                    + "'pytorch'; " + available);
        }
    }

    @Test
    void backendNamesAndCellNamesAreTheSameEverywhere() {
        // CPU in capitals, and the mnist command's basic-lstm, in the task command
        CliRun r = CliRun.of("task", "--task", "sine", "--backend", "CPU", "--cell", "basic-lstm", "--epochs", "1",
                "--hidden", "4");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("LstmCell{hidden=4, forgetBias=1.0, activations=[Sigmoid, Tanh, Tanh]}"),
                "basic-lstm: forget bias 1, no peepholes: " + r.out());
        assertTrue(r.out().contains("; cpu" + System.lineSeparator()), r.out());
        assertOneLineError(CliRun.of("task", "--task", "sine", "--cell", "gru-dynamic"), "--cell gru-dynamic reads "
                + "MNIST images down to their last inked row, which only the mnist command does; for a task, choose "
                + "gru");
        assertOneLineError(CliRun.of("task", "--task", "sine", "--cell", "cnn"), "unknown cell 'cnn'; choose one of "
                + "basic-lstm, lstm, gru, gru-dynamic, rnn");
    }

    @Test
    void aTextFileThatDoesNotExistIsNamed() {
        Path none = dir.resolve("no-such.txt");
        assertOneLineError(CliRun.of("task", "--task", "text", "--text", none.toString()), "--text " + none
                + " does not exist; give an existing UTF-8 text file");
        assertOneLineError(CliRun.of("task", "--task", "text", "--text", dir.toString()), "--text " + dir
                + " is a directory");
    }

    @Test
    void theSampleLineHasNoRunsOfWhiteSpace() {
        assertEquals("the cat sat", Training.sampleLine("the\ncat  sat" + " ".repeat(190) + "\n"));
        assertEquals("(only white space)", Training.sampleLine(" ".repeat(200)));
    }

    @Test
    void mnistDataThatIsNotThereIsAnErrorUnlessDownloadIsGiven() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertOneLineError(CliRun.of("mnist", "--data", empty.toString()), "--data " + empty + " holds no MNIST "
                + "files; check the path");
        Path some = dir.resolve("some");
        Files.createDirectories(some);
        MnistCommandTest.writeSet(some, "train", 10, new java.util.Random(1));
        assertOneLineError(CliRun.of("mnist", "--data", some.toString()), "--data " + some + " lacks "
                + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; check the path");
        // with --download, files that are partly there are the user's: not mixed with a download
        assertOneLineError(CliRun.of("mnist", "--data", some.toString(), "--download"), some + " lacks "
                + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte but holds the other MNIST files");
    }

    @Test
    void aModelFileWithADamagedHeaderIsNotCalledTruncated() throws IOException {
        Network net = Network.builder(3).layer(Sequence.of(GruCell.of(4))).head(Head.classifier(2)).build();
        byte[] good = ModelFile.of(net, Initialization.defaults().initialize(net, 1)).toBytes();
        Path in = dir.resolve("in.npy");
        NpyFiles.writeFloats(in, new float[6], 1, 2, 3);
        String[][] cases = {{"3", "is a Recurra model file of format version 2, newer than version 1"},
            {"0", "does not start with the Recurra magic 'RECURRA1'; it is not a Recurra model file"},
            {"9", "is corrupted: it declares"}};
        for (String[] c : cases) {
            byte[] bad = good.clone();
            int at = switch (c[0]) {
                case "3" -> 7;
                case "0" -> 0;
                default -> 9;
            };
            bad[at] = at == 7 ? (byte) '2' : (byte) (bad[at] ^ 0x40);
            Path m = dir.resolve("m" + c[0] + ".recurra");
            Files.write(m, bad);
            assertOneLineError(CliRun.of("predict", "--model", m.toString(), "--input", in.toString(), "--output",
                    dir.resolve("out.npy").toString()), c[1]);
        }
    }
}
