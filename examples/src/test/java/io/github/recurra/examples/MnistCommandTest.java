package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tutorial command end to end on a small generated MNIST-format dataset (images whose class is the row that is
 * lit), checking the tutorial's log lines and the final machine-readable line.
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
    }

    @Test
    void missingDataExplainsHowToGetIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute("mnist", "--data", dir.resolve("absent").toString());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("fetch-mnist.sh"), err.toString());
    }
}
