package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} and {@code evaluate} end to end on a small generated time series and text, and {@code --plot} on the
 * training commands; the options that are checked before any training.
 */
class TrainCommandTest {
    @TempDir
    Path dir;

    /** A noisy sine of period 16 with a header row, 400 rows (seed 1). */
    static Path sineCsv(Path dir) throws IOException {
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder("t,level\n");
        for (int i = 0; i < 400; i++) {
            sb.append(i).append(',').append(Math.sin(2 * Math.PI * i / 16) + 0.05 * r.nextGaussian()).append('\n');
        }
        return Files.writeString(dir.resolve("sine.csv"), sb.toString());
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void forecastsATimeSeriesSavesPlotsAndEvaluatesTheSavedModel() throws IOException {
        Path csv = sineCsv(dir);
        Path model = dir.resolve("sine.recurra");
        Path plots = dir.resolve("plots");
        CliRun run = CliRun.of("train", "--csv", csv.toString(), "--column", "level", "--window", "8", "--cell",
                "gru", "--hidden", "8", "--epochs", "4", "--batch", "16", "--lr", "0.02", "--save", model.toString(),
                "--plot", plots.toString());
        assertEquals(0, run.code(), run.toString());
        String out = run.out();
        assertTrue(out.contains("Epoch 4, mean training loss"), out);
        double test = number(out, "(?m)^Test: MSE ([0-9.]+), MAE");
        // the series is standardised (variance 1): predicting its mean would score an MSE of about 1
        assertTrue(test < 0.3, "a period-16 sine is easy to forecast: " + out);
        assertTrue(out.contains("Baseline: repeating the window's last value scores MSE"), out);
        assertTrue(Files.isRegularFile(model));
        assertEquals(1, ModelFile.load(model).network().inputSize());
        assertTrue(Files.isRegularFile(plots.resolve("loss.png")));
        assertFalse(Files.exists(plots.resolve("accuracy.png")), "a regression has no accuracy");
        List<String> rows = Files.readAllLines(plots.resolve("history.csv"), StandardCharsets.UTF_8);
        // 70% of 400 rows, minus a window of 8 and a horizon of 1: 272 windows, 17 steps of 16 per epoch
        assertEquals(1 + 4 * 17, rows.size(), rows.get(0));
        assertTrue(out.contains("Plots: loss.png, history.csv in " + plots), out);

        CliRun eval = CliRun.of("evaluate", "--model", model.toString(), "--csv", csv.toString(), "--column",
                "level", "--window", "8");
        assertEquals(0, eval.code(), eval.toString());
        assertEquals(test, number(eval.out(), "(?m)^Test: MSE ([0-9.]+), MAE"), 0.0,
                "the same test part and the same model give the same MSE");
        assertTrue(eval.out().contains("Baseline:"), eval.out());
    }

    @Test
    void trainsACharacterModelAndBeatsTheMostFrequentCharacter() throws IOException {
        Path text = Files.writeString(dir.resolve("abc.txt"), "abcd".repeat(300));
        Path plots = dir.resolve("p");
        CliRun run = CliRun.of("train", "--text", text.toString(), "--window", "12", "--cell", "rnn", "--hidden",
                "16", "--epochs", "2", "--batch", "16", "--lr", "0.02", "--optimizer", "rmsprop", "--plot",
                plots.toString());
        assertEquals(0, run.code(), run.toString());
        double acc = number(run.out(), "(?m)^Test: loss [0-9.]+, accuracy ([0-9.]+)");
        double base = number(run.out(), "most frequent character scores accuracy ([0-9.]+)");
        assertEquals(0.25, base, 0.01, "four characters equally often");
        assertTrue(acc > 0.9, "abcd repeated is predictable: " + run.out());
        assertTrue(Files.isRegularFile(plots.resolve("accuracy.png")), "a classifier gets an accuracy chart");
    }

    @Test
    void optionsAreCheckedBeforeAnyTraining() throws IOException {
        Path csv = sineCsv(dir);
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun both = CliRun.of("train", "--csv", csv.toString(), "--column", "level", "--text", csv.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("exactly one of --csv"), both.err());
        CliRun plotFile = CliRun.of("train", "--csv", csv.toString(), "--column", "level", "--plot",
                file.toString());
        assertEquals(2, plotFile.code());
        assertTrue(plotFile.err().contains("--plot " + file + " is a file"), plotFile.err());
        CliRun noColumn = CliRun.of("train", "--csv", csv.toString());
        assertTrue(noColumn.err().contains("--csv needs --column"), noColumn.err());
        CliRun cell = CliRun.of("train", "--csv", csv.toString(), "--column", "level", "--cell", "gru-dynamic");
        assertTrue(cell.err().contains("only the mnist command does"), cell.err());
        CliRun opt = CliRun.of("train", "--csv", csv.toString(), "--column", "level", "--optimizer", "lbfgs");
        assertTrue(opt.err().contains("choose adam, adamw, sgd or rmsprop"), opt.err());
        CliRun rev = CliRun.of("train", "--text", csv.toString(), "--direction", "bidirectional");
        assertTrue(rev.err().contains("must read forward only"), rev.err());
        assertEquals(Direction.REVERSE, TrainCommand.direction("Reverse"));
    }

    @Test
    void evaluateRejectsDataOfAnotherKind() throws IOException {
        Path csv = sineCsv(dir);
        Path text = Files.writeString(dir.resolve("t.txt"), "abcd".repeat(100));
        Path model = dir.resolve("m.recurra");
        ModelFile.of(TestModels.all().get("stacked_bidirectional_classifier"),
                TestModels.parameters(TestModels.all().get("stacked_bidirectional_classifier"), 1)).save(model);
        CliRun csvRun = CliRun.of("evaluate", "--model", model.toString(), "--csv", csv.toString(), "--column",
                "level");
        assertEquals(2, csvRun.code());
        assertTrue(csvRun.err().contains("reads 4 features per step but the data have 1"), csvRun.err());
        CliRun textRun = CliRun.of("evaluate", "--model", model.toString(), "--text", text.toString());
        assertTrue(textRun.err().contains("'s head is"), textRun.err());
        CliRun none = CliRun.of("evaluate", "--model", model.toString());
        assertTrue(none.err().contains("exactly one of --data DIR"), none.err());
    }

    @Test
    void mnistAndTaskWritePlotsToo() throws IOException {
        Random r = new Random(1);
        MnistCommandTest.writeSet(dir, "train", 300, r);
        MnistCommandTest.writeSet(dir, "t10k", 100, r);
        Path plots = dir.resolve("mnist-plots");
        CliRun m = CliRun.of("mnist", "--data", dir.toString(), "--cell", "rnn", "--hidden", "8", "--examples",
                "640", "--batch", "64", "--validation", "50", "--no-progress", "--plot", plots.toString(), "--save",
                dir.resolve("mnist.recurra").toString());
        assertEquals(0, m.code(), m.toString());
        assertTrue(Files.isRegularFile(plots.resolve("loss.png")));
        assertTrue(Files.isRegularFile(plots.resolve("accuracy.png")));
        assertEquals(1 + 10, Files.readAllLines(plots.resolve("history.csv")).size(), "640 examples, 10 steps");

        CliRun eval = CliRun.of("evaluate", "--model", dir.resolve("mnist.recurra").toString(), "--data",
                dir.toString());
        assertEquals(0, eval.code(), eval.toString());
        String testLine = m.out().lines().filter(l -> l.startsWith("Testing Accuracy: ")).findFirst().orElseThrow();
        double acc = Double.parseDouble(testLine.substring("Testing Accuracy: ".length(), testLine.indexOf(' ',
                "Testing Accuracy: ".length())));
        assertEquals(acc, number(eval.out(), "(?m)^Test: loss [0-9.]+, accuracy ([0-9.]+) \\(100 examples\\)"),
                1e-4, "the saved model scores what the trained one scored");

        Path taskPlots = dir.resolve("task-plots");
        CliRun t = CliRun.of("task", "--task", "copy", "--epochs", "1", "--hidden", "8", "--plot",
                taskPlots.toString());
        assertEquals(0, t.code(), t.toString());
        assertTrue(Files.isRegularFile(taskPlots.resolve("accuracy.png")));
    }
}
