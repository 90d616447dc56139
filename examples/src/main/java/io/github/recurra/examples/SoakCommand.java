package io.github.recurra.examples;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A memory soak test: trains the reference workload (B=128, T=28, I=28, H=128, 10 classes, Adam 0.001) through
 * {@link Trainer} for many steps in one JVM and prints the process's resident set size ({@code VmRSS} of
 * {@code /proc/self/status}, Linux only) every {@code --every} steps. A backend that leaks native memory per step (an
 * unclosed tensor, a graph rebuilt per call) shows as a steady climb; a flat line after the first samples is the
 * goal. The Java heap is part of the resident size, so run it with a fixed, pre-touched heap ({@code -Xms} equal to
 * {@code -Xmx}, {@code -XX:+AlwaysPreTouch}) to see the native memory alone. The summary's slope is a least-squares fit over the samples after the first {@code --settle} steps, in MB per
 * 1,000 steps.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Train the reference workload for many steps in one JVM and print the resident memory as it goes "
                + "(a native-memory leak check).")
final class SoakCommand implements Runnable {
    private static final int T = 28;
    private static final int I = 28;
    private static final int C = 10;
    /** Distinct examples in the synthetic training set: ten batches, cycled. */
    private static final int EXAMPLES = 1280;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--steps", defaultValue = "10000", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--every", defaultValue = "500",
            description = "Steps between memory samples (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--settle", defaultValue = "1000",
            description = "Steps left out of the slope, while pools and caches fill (default: ${DEFAULT-VALUE}).")
    int settle;

    @Override
    public void run() {
        if (steps < 1 || every < 1 || settle < 0 || settle >= steps) {
            throw new IllegalArgumentException("--steps and --every must be at least 1 and --settle in [0, steps) "
                    + "but were " + steps + ", " + every + ", " + settle);
        }
        Cli.provider("--backend", backend);
        if (rssKb() < 0) {
            throw new IllegalStateException("the soak test reads the resident set size from /proc/self/status, which "
                    + "this system does not have (Linux only)");
        }
        Network net = BenchCommand.network(cell, BenchCommand.H, 1);
        SplittableRandom random = new SplittableRandom(42);
        float[] x = new float[EXAMPLES * T * I];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[EXAMPLES];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(C);
        }
        Dataset data = Dataset.of(x, y, T, I, C);
        Trainer trainer = Trainer.builder().batchSize(128).examples((long) steps * 128).listener(new Sampler()).build();
        try (Backend b = Backends.named(backend)) {
            b.require(Capability.TRAINING, "the soak test");
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "# soak backend=%s cell=%s steps=%d; java %s; %d processors; rss at start "
                    + "%.1f MB; heap committed %.0f of at most %.0f MB%n", backend, cell, steps,
                    System.getProperty("java.version"), rt.availableProcessors(), rssKb() / 1024.0,
                    rt.totalMemory() / 1048576.0, rt.maxMemory() / 1048576.0);
            if (rt.totalMemory() < rt.maxMemory()) {
                System.out.println("# the heap may still grow and show in the resident size: for a native-memory "
                        + "check, fix it with -Xms equal to -Xmx and -XX:+AlwaysPreTouch (RECURRA_JAVA_OPTS)");
            }
            try (Model model = b.compile(net, Initialization.defaults().initialize(net, 0))) {
                trainer.fit(model, data);
            }
        }
    }

    /** Prints a sample every {@code every} steps and the summary at the end. */
    private final class Sampler implements TrainingListener {
        private final List<double[]> samples = new ArrayList<>();
        private long t0;

        @Override
        public void onStart(long totalSteps) {
            t0 = System.nanoTime();
        }

        @Override
        public void onStep(StepReport r) {
            if (r.step() % every != 0 && r.step() != r.totalSteps()) {
                return;
            }
            double rss = rssKb() / 1024.0;
            Runtime rt = Runtime.getRuntime();
            double heap = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
            System.out.printf(Locale.ROOT, "SOAK backend=%s cell=%s step=%d rss_mb=%.1f heap_used_mb=%.1f loss=%.4f "
                    + "elapsed_s=%.1f%n", backend, cell, r.step(), rss, heap, r.loss(), (System.nanoTime() - t0) / 1e9);
            samples.add(new double[] {r.step(), rss});
            if (r.step() == r.totalSteps()) {
                summary();
            }
        }

        private void summary() {
            List<double[]> tail = samples.stream().filter(s -> s[0] > settle).toList();
            if (tail.size() < 2) {
                System.out.println("# too few samples after --settle for a slope");
                return;
            }
            double mx = tail.stream().mapToDouble(s -> s[0]).average().orElseThrow();
            double my = tail.stream().mapToDouble(s -> s[1]).average().orElseThrow();
            double sxy = 0;
            double sxx = 0;
            for (double[] s : tail) {
                sxy += (s[0] - mx) * (s[1] - my);
                sxx += (s[0] - mx) * (s[0] - mx);
            }
            double min = tail.stream().mapToDouble(s -> s[1]).min().orElseThrow();
            double max = tail.stream().mapToDouble(s -> s[1]).max().orElseThrow();
            System.out.printf(Locale.ROOT, "SOAK_SUMMARY backend=%s cell=%s steps=%d rss_after_settle_mb=%.1f "
                    + "rss_end_mb=%.1f rss_min_mb=%.1f rss_max_mb=%.1f slope_mb_per_1000_steps=%.2f%n", backend, cell,
                    steps, tail.get(0)[1], tail.get(tail.size() - 1)[1], min, max, 1000 * sxy / sxx);
        }
    }

    /** @return VmRSS in kB, or -1 where /proc/self/status is missing */
    static long rssKb() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + status, e);
        }
    }
}
