package io.github.recurra.examples;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the reference workload (B=128, T=28, I=28, H=128, 10 classes, Adam): a training step (loss, gradients,
 * update, parameters written back: what {@code Trainer} does per step; {@code n/a} on a backend that does not train),
 * inference on a batch of 128 and on one sequence. Warm-up, then rounds of individually timed calls; reports medians
 * over all calls. Optionally runs the PyTorch peer script in the same run, then prints each backend's inference
 * throughput (batch 128) and latency (batch 1) relative to PyTorch's. The first line names the machine
 * ({@link Machine#line()}), and each backend's line what it runs on ({@code Backend.describe()}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training and inference on the MNIST-row workload; print BENCH lines.")
final class BenchCommand implements Runnable {
    private static final int B = 128;
    private static final int T = 28;
    private static final int I = 28;
    private static final int H = 128;
    private static final int C = 10;

    @Option(names = "--backend", split = ",", defaultValue = "cpu",
            description = "Backends, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--cells", split = ",", defaultValue = "lstm,gru,rnn",
            description = "Cells among lstm, gru, rnn (default: ${DEFAULT-VALUE}).")
    List<String> cells;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed calls first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "1",
            description = "Keep warming up until this much time has passed too (default: ${DEFAULT-VALUE}); without "
                    + "it, whatever is timed first in the JVM runs while the JIT compiler still competes for the "
                    + "cores.")
    double warmupSeconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--steps", defaultValue = "20", description = "Timed calls per round (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--onnx-graphs", split = ",", defaultValue = "auto",
            description = "For the onnx backend, the graphs to time: auto (the backend's choice: unrolled graphs where "
                    + "they compute the same) and/or standard (the exported recurrent operators) (default: "
                    + "${DEFAULT-VALUE}).")
    List<String> onnxGraphs;

    @Option(names = "--peer", defaultValue = "pytorch",
            description = "Also run the peer benchmark script bench/pytorch-bench.sh in the same run: pytorch or none "
                    + "(default: ${DEFAULT-VALUE}).")
    String peer;

    /** PyTorch's GRU is linear-before-reset; bench the same computation. */
    static Cell cell(String name) {
        switch (name) {
            case "lstm": return LstmCell.builder(H).forgetBias(0f).build();
            case "gru": return GruCell.builder(H).linearBeforeReset(true).build();
            case "rnn": return RnnCell.of(H);
            default: throw new IllegalArgumentException("unknown cell '" + name + "'; choose lstm, gru or rnn");
        }
    }

    @Override
    public void run() {
        if (rounds < 1 || steps < 1 || warmup < 0 || !(warmupSeconds >= 0)) {
            throw new IllegalArgumentException("--rounds and --steps must be at least 1 and --warmup and "
                    + "--warmup-seconds at least 0 but were " + rounds + ", " + steps + ", " + warmup + ", "
                    + warmupSeconds);
        }
        if (!"pytorch".equals(peer) && !"none".equals(peer)) {
            throw new IllegalArgumentException("unknown peer '" + peer + "'; use pytorch or none");
        }
        for (String c : cells) {
            cell(c);
        }
        // each name checked before any timing, and spelt as its backend spells it ("ONNX" is onnx)
        backends = backends.stream().map(b -> Cli.provider("--backend", b).name()).toList();
        for (String g : onnxGraphs) {
            if (!"auto".equals(g) && !"standard".equals(g)) {
                throw new IllegalArgumentException("unknown onnx graph '" + g + "'; use auto or standard");
            }
        }
        System.out.println(Machine.detect().line());
        System.out.printf(Locale.ROOT, "# workload B=%d T=%d I=%d H=%d classes=%d Adam; java %s; %d processors; "
                + "warmup %d calls and %.1f s, %d rounds x %d calls, medians%n", B, T, I, H, C,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), warmup, warmupSeconds,
                rounds, steps);
        List<Result> results = new ArrayList<>();
        for (String b : backends) {
            for (String graph : "onnx".equals(b) ? onnxGraphs : List.of("")) {
                try (Backend backend = open(b, graph)) {
                    String label = graph.isEmpty() || "auto".equals(graph) ? b : b + "-" + graph;
                    System.out.println("# " + label + ": " + backend.describe());
                    for (String c : cells) {
                        results.add(benchOne(backend, label, c));
                    }
                }
            }
        }
        if ("pytorch".equals(peer)) {
            results.addAll(runPeer());
            printRatios(results);
        }
    }

    /** One BENCH line; {@code trainMs} is NaN for a backend that does not train. */
    record Result(String backend, String cell, double trainMs, double inferMs, double infer1Ms) {
        String line() {
            return String.format(Locale.ROOT, "BENCH backend=%s cell=%s train_step_ms=%s infer_b128_ms=%.2f "
                    + "infer_b1_ms=%.3f", backend, cell, Double.isNaN(trainMs) ? "n/a"
                    : String.format(Locale.ROOT, "%.2f", trainMs), inferMs, infer1Ms);
        }
    }

    /**
     * The onnx backend is made with its graph choice set through its system property ({@code recurra.onnx.unrolled},
     * read when the backend is created); the property is restored afterwards.
     */
    private static Backend open(String name, String graph) {
        if (!"standard".equals(graph)) {
            return Backends.named(name);
        }
        String key = "recurra.onnx.unrolled";
        String before = System.getProperty(key);
        System.setProperty(key, "false");
        try {
            return Backends.named(name);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private Result benchOne(Backend backend, String label, String cellName) {
        Network net = Network.builder(I).layer(Sequence.of(cell(cellName))).head(Head.classifier(C)).build();
        SplittableRandom random = new SplittableRandom(42);
        float[] x = new float[B * T * I];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[B];
        for (int i = 0; i < B; i++) {
            y[i] = random.nextInt(C);
        }
        Batch batch = new Batch(Tensor.wrap(x, B, T, I), y);
        Tensor one = Tensor.of(Arrays.copyOf(x, T * I), 1, T, I);
        try (Model model = backend.compile(net, Initialization.defaults().initialize(net, 0))) {
            double trainMs = Double.NaN;
            if (backend.supports(Capability.TRAINING)) {
                // one training step as Trainer takes it: loss, gradients and an Adam update through the session
                try (TrainingSession session = model.openTraining(Optimizer.adam(1e-3))) {
                    trainMs = median(() -> session.step(batch, null, 0L), steps);
                }
            }
            double inferMs = median(() -> model.forward(batch.inputs()), steps);
            double infer1Ms = median(() -> model.forward(one), 4 * steps);
            Result r = new Result(label, cellName, trainMs, inferMs, infer1Ms);
            System.out.println(r.line());
            return r;
        }
    }

    private double median(Runnable call, int perRound) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) {
            call.run();
        }
        List<Double> times = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < perRound; s++) {
                long t0 = System.nanoTime();
                call.run();
                times.add((System.nanoTime() - t0) / 1e6);
            }
        }
        times.sort(null);
        int n = times.size();
        return n % 2 == 1 ? times.get(n / 2) : (times.get(n / 2 - 1) + times.get(n / 2)) / 2;
    }

    /** @return the peer's BENCH lines, parsed */
    private List<Result> runPeer() {
        List<Result> peers = new ArrayList<>();
        Path script = Path.of(System.getProperty("recurra.home", "."), "bench", "pytorch-bench.sh");
        if (!Files.isRegularFile(script)) {
            System.out.println("# peer skipped: " + script + " not found (run from the repository root or use "
                    + "./recurra bench)");
            return peers;
        }
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), String.join(",", cells),
                String.valueOf(rounds), String.valueOf(steps), String.valueOf(warmup)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println(line);
                    Result peer = parse(line);
                    if (peer != null) {
                        peers.add(peer);
                    }
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                System.out.println("# peer script exited with status " + rc);
            }
        } catch (IOException e) {
            System.out.println("# peer could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return peers;
    }

    private static final Pattern BENCH = Pattern.compile("BENCH backend=(\\S+) cell=(\\S+) train_step_ms=(\\S+) "
            + "infer_b128_ms=(\\S+) infer_b1_ms=(\\S+)(?: \\S+=\\S+)*");

    /** @return the BENCH line as a result, or null for any other line */
    static Result parse(String line) {
        Matcher m = BENCH.matcher(line.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            double train = "n/a".equals(m.group(3)) ? Double.NaN : Double.parseDouble(m.group(3));
            return new Result(m.group(1), m.group(2), train, Double.parseDouble(m.group(4)),
                    Double.parseDouble(m.group(5)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * For every Recurra result with a PyTorch result of the same cell: throughput at batch 128 as a multiple of
     * PyTorch's (its time over ours: 2.0 is twice as many sequences per second) and latency at batch 1 as a fraction
     * of PyTorch's (ours over its: 0.5 is half the time).
     */
    static void printRatios(List<Result> results) {
        for (Result r : results) {
            if ("pytorch".equals(r.backend())) {
                continue;
            }
            for (Result p : results) {
                if ("pytorch".equals(p.backend()) && p.cell().equals(r.cell())) {
                    System.out.printf(Locale.ROOT, "RATIO backend=%s cell=%s vs=pytorch b128_throughput=%.2fx "
                            + "b1_latency=%.2fx%s%n", r.backend(), r.cell(), p.inferMs() / r.inferMs(),
                            r.infer1Ms() / p.infer1Ms(), Double.isNaN(r.trainMs()) ? ""
                                    : String.format(Locale.ROOT, " train_step=%.2fx", r.trainMs() / p.trainMs()));
                }
            }
        }
    }
}
