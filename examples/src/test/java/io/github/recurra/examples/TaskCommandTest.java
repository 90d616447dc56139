package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaskCommandTest {

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.commandLine().execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addingProblemBeatsItsBaseline() {
        String text = run("task", "--task", "adding", "--epochs", "2", "--hidden", "32", "--lr", "0.01");
        Matcher m = Pattern.compile("Test MSE: ([0-9.]+)").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) < 0.1, "below the 0.167 of always answering 1: " + text);
    }

    @Test
    void baselinesAreComputedFromTheData() {
        // noise 0.1 adds its variance, 0.01, to the change of the clean signal between steps
        double mse = Training.repeatInputMse(Synthetic.noisySine(200, 50, 0.1, 1));
        double clean = Training.repeatInputMse(Synthetic.noisySine(200, 50, 0, 1));
        assertEquals(clean + 0.01, mse, 0.002);
        assertEquals(15.0 / 20, Training.mostFrequentAccuracy(Synthetic.copyMemory(50, 8, 5, 10, 1), 10), 1e-12);
    }
}
