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
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
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
 * over all calls. Optionally runs the PyTorch peer script in the same run, each cell on PyTorch right after the same
 * cell on the backends, then prints each backend's inference
 * throughput (batch 128) and latency (batch 1) relative to PyTorch's. The first line names the machine
 * ({@link Machine#line()}), and each backend's line what it runs on ({@code Backend.describe()}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training and inference on the MNIST-row workload; print BENCH lines.")
final class BenchCommand implements Runnable {
    private static final int B = 128;
    private static final int T = 28;
    private static final int I = 28;
    static final int H = 128;
    private static final int C = 10;

    @Option(names = "--backend", split = ",", defaultValue = "cpu",
            description = "Backends, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--cells", split = ",",
            description = "Cells among lstm, gru, rnn (default: lstm,gru,rnn; with --sweep lstm,gru).")
    List<String> cells;

    @Option(names = "--warmup", description = "Untimed calls first (default: 30; with --sweep 2).")
    Integer warmup;

    @Option(names = "--warmup-seconds",
            description = "Keep warming up until this many seconds have passed too, at each point of a sweep "
                    + "(default: 1); without it, whatever is timed first in the JVM runs while the JIT compiler still "
                    + "competes for the cores.")
    Double warmupSeconds;

    @Option(names = "--rounds", description = "Rounds (default: 5; with --sweep 1).")
    Integer rounds;

    @Option(names = "--steps", description = "Timed calls per round (default: 20; with --sweep 5).")
    Integer steps;

    @Option(names = "--onnx-graphs", split = ",", defaultValue = "auto",
            description = "For the onnx backend, the graphs to time: auto (the backend's choice: unrolled graphs where "
                    + "they compute the same) and/or standard (the exported recurrent operators) (default: "
                    + "${DEFAULT-VALUE}).")
    List<String> onnxGraphs;

    @Option(names = "--peer", defaultValue = "pytorch",
            description = "Also run the peer benchmark script bench/pytorch-bench.sh in the same run: pytorch or none "
                    + "(default: ${DEFAULT-VALUE}).")
    String peer;

    @Option(names = "--sweep", description = "Instead of the reference workload, time the training step of each cell "
            + "(default lstm,gru) over hidden 128 and 512, batch 32, 128 and 512 and 1 and 2 layers (T=28), then "
            + "T=14, 56 and 112 (hidden 128, batch 128, 1 layer), PyTorch alongside: SWEEP lines (with the heap each "
            + "point keeps), then one ratio per point.")
    boolean sweep;

    /** PyTorch's GRU is linear-before-reset; bench the same computation. */
    static Cell cell(String name) {
        return cell(name, H);
    }

    static Cell cell(String name, int hidden) {
        switch (name) {
            case "lstm": return LstmCell.builder(hidden).forgetBias(0f).build();
            case "gru": return GruCell.builder(hidden).linearBeforeReset(true).build();
            case "rnn": return RnnCell.of(hidden);
            default: throw new IllegalArgumentException("unknown cell '" + name + "'; choose lstm, gru or rnn");
        }
    }

    /** Gates per cell: the G in the G·H-column products. */
    static int gates(String cell) {
        return "lstm".equals(cell) ? 4 : "gru".equals(cell) ? 3 : 1;
    }

    /**
     * Floating-point operations of the matrix products of one training step (forward, backward) on {@code layers}
     * stacked layers of {@code hidden} units over {@code time} steps of {@code input} features and a dense head to
     * {@code classes}: per layer and step the forward x·Wᵀ and h·Rᵀ, and in backward dW, dR, the gradient into the
     * previous state and, above the first layer, into the input; 2 per multiply-add. The cells' element-wise work is
     * not counted (it is a few percent of these at H=128), so GFLOP/s figures are of the products' rate.
     */
    static double trainFlops(String cell, int batch, int time, int input, int hidden, int layers, int classes) {
        double g = gates(cell) * (double) hidden;
        double sum = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? input : hidden;
            sum += 2.0 * batch * g * (in + hidden) * time; // forward
            sum += 2.0 * batch * g * (in + 2.0 * hidden) * time; // dW, dR, dH
            if (l > 0) {
                sum += 2.0 * batch * g * in * time; // dX
            }
        }
        return sum + 3 * 2.0 * batch * hidden * classes;
    }

    /** Floating-point operations of the matrix products of inference (see {@link #trainFlops}). */
    static double inferFlops(String cell, int batch, int time, int input, int hidden, int layers, int classes) {
        double g = gates(cell) * (double) hidden;
        double sum = 0;
        for (int l = 0; l < layers; l++) {
            sum += 2.0 * batch * g * ((l == 0 ? input : hidden) + hidden) * time;
        }
        return sum + 2.0 * batch * hidden * classes;
    }

    /** GFLOP/s of {@code flops} done in {@code ms} milliseconds. */
    static double gflops(double flops, double ms) {
        return flops / (ms * 1e6);
    }

    @Override
    public void run() {
        warmup = warmup != null ? warmup : sweep ? 2 : 30;
        warmupSeconds = warmupSeconds != null ? warmupSeconds : 1;
        rounds = rounds != null ? rounds : sweep ? 1 : 5;
        steps = steps != null ? steps : sweep ? 5 : 20;
        if (rounds < 1 || steps < 1 || warmup < 0 || !(warmupSeconds >= 0)) {
            throw new IllegalArgumentException("--rounds and --steps must be at least 1 and --warmup and "
                    + "--warmup-seconds at least 0 but were " + rounds + ", " + steps + ", " + warmup + ", "
                    + warmupSeconds);
        }
        if (!"pytorch".equals(peer) && !"none".equals(peer)) {
            throw new IllegalArgumentException("unknown peer '" + peer + "'; use pytorch or none");
        }
        if (cells == null) {
            cells = sweep ? List.of("lstm", "gru") : List.of("lstm", "gru", "rnn");
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
        System.out.printf(Locale.ROOT, "# workload %s classes=%d Adam; java %s; %d processors; "
                + "warmup %d calls and %.1f s, %d rounds x %d calls, medians%n", sweep
                        ? String.format(Locale.ROOT, "sweep of H in {128, 512}, B in {32, 128, 512}, layers in {1, 2}, "
                                + "T=%d, then T in {14, 56, 112} at H=128 B=128; I=%d, training step only", T, I)
                        : String.format(Locale.ROOT, "B=%d T=%d I=%d H=%d", B, T, I, H), C,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), warmup, warmupSeconds,
                rounds, steps);
        if (sweep) {
            runSweep();
            return;
        }
        // each cell on every backend and then at once on PyTorch (the peer script kept running, answering one
        // request at a time), so that each ratio compares measurements taken seconds apart
        List<Result> results = new ArrayList<>();
        Double peak = null;
        List<Backend> opened = new ArrayList<>();
        try (Peer peer = "pytorch".equals(this.peer) ? Peer.start(peerCommand()) : null) {
            List<String> labels = new ArrayList<>();
            for (String b : backends) {
                for (String graph : "onnx".equals(b) ? onnxGraphs : List.of("")) {
                    Backend backend = open(b, graph);
                    opened.add(backend);
                    String label = graph.isEmpty() || "auto".equals(graph) ? b : b + "-" + graph;
                    labels.add(label);
                    System.out.println("# " + label + ": " + backend.describe());
                }
            }
            for (String c : cells) {
                for (int i = 0; i < opened.size(); i++) {
                    results.add(benchOne(opened.get(i), labels.get(i), c));
                }
                String line = peer == null ? null : peer.ask("bench " + c, "BENCH ");
                Result r = line == null ? null : parse(line);
                if (r != null) {
                    results.add(r);
                }
            }
            String line = peer == null ? null : peer.ask("peak", "PEAK ");
            peak = line == null ? null : peakGflops(line);
        } finally {
            for (Backend b : opened) {
                b.close();
            }
        }
        if ("pytorch".equals(peer)) {
            printRatios(results, peak);
        }
    }

    /**
     * The sweep: for each point a SWEEP line from each backend and then, right after, PyTorch's for the same point
     * (the peer script kept running between points, {@link Peer}), so that each ratio compares two measurements
     * taken within seconds of each other on a machine whose speed drifts; then one SWEEPRATIO per point.
     */
    private void runSweep() {
        List<Backend> opened = new ArrayList<>();
        try (Peer peer = "pytorch".equals(this.peer) ? Peer.start(peerCommand()) : null) {
            // the backends that train, and their names
            List<Backend> trainers = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String b : backends) {
                Backend backend = open(b, "");
                opened.add(backend);
                System.out.println("# " + b + ": " + backend.describe());
                if (!backend.supports(Capability.TRAINING)) {
                    System.out.println("# " + b + " does not train: nothing to sweep");
                } else {
                    trainers.add(backend);
                    names.add(b);
                }
            }
            List<Sweep> points = new ArrayList<>();
            List<Sweep> peers = new ArrayList<>();
            for (String c : cells) {
                for (Backend backend : trainers) {
                    // the smallest point, untimed, for three times the warm-up: the first timed point of each cell
                    // then runs on the JIT compiler's final code
                    trainStep(backend, c, 128, 32, 1, T, 3 * warmupSeconds);
                }
                for (int[] point : sweepPoints()) {
                    for (int i = 0; i < trainers.size(); i++) {
                        Sweep r = sweepPoint(trainers.get(i), names.get(i), c, point[0], point[1], point[2], point[3]);
                        System.out.println(r.line());
                        points.add(r);
                    }
                    if (peer != null && !trainers.isEmpty()) {
                        String reply = peer.ask(c + " " + point[0] + " " + point[1] + " " + point[2] + " " + point[3],
                                "SWEEP ");
                        Sweep p = reply == null ? null : Sweep.parse(reply);
                        if (p != null) {
                            peers.add(p);
                        }
                    }
                }
            }
            for (Sweep r : points) {
                for (Sweep p : peers) {
                    if (p.cell().equals(r.cell()) && p.hidden() == r.hidden() && p.batch() == r.batch()
                            && p.layers() == r.layers() && p.time() == r.time()) {
                        System.out.printf(Locale.ROOT, "SWEEPRATIO backend=%s cell=%s hidden=%d batch=%d layers=%d "
                                + "time=%d vs=pytorch train_step=%.2fx%n", r.backend(), r.cell(), r.hidden(),
                                r.batch(), r.layers(), r.time(), r.trainMs() / p.trainMs());
                    }
                }
            }
        } finally {
            for (Backend b : opened) {
                b.close();
            }
        }
    }

    /**
     * The sweep's points as {hidden, batch, layers, time}: hidden 128 and 512 × 1 and 2 layers × batch 32, 128 and 512
     * at T = 28, then T = 14, 56 and 112 at hidden 128, batch 128, one layer (the same grid as the peer script's).
     */
    static List<int[]> sweepPoints() {
        List<int[]> points = new ArrayList<>();
        for (int hidden : new int[] {128, 512}) {
            for (int layers : new int[] {1, 2}) {
                for (int batch : new int[] {32, 128, 512}) {
                    points.add(new int[] {hidden, batch, layers, T});
                }
            }
        }
        for (int time : new int[] {14, 56, 112}) {
            points.add(new int[] {128, B, 1, time});
        }
        return points;
    }

    /**
     * One point of the sweep: a training step's median time, and its products' rate; {@code memMb} is the heap the
     * compiled model and its training session kept after a step (weights, optimizer state, workspaces), measured
     * after a garbage collection, or NaN when not measured (the peer's lines).
     */
    record Sweep(String backend, String cell, int hidden, int batch, int layers, int time, double trainMs,
            double memMb) {
        String line() {
            return String.format(Locale.ROOT, "SWEEP backend=%s cell=%s hidden=%d batch=%d layers=%d time=%d "
                    + "train_step_ms=%.2f train_gflops=%.1f%s", backend, cell, hidden, batch, layers, time, trainMs,
                    gflops(trainFlops(cell, batch, time, I, hidden, layers, C), trainMs),
                    Double.isNaN(memMb) ? "" : String.format(Locale.ROOT, " mem_mb=%.1f", memMb));
        }

        private static final Pattern LINE = Pattern.compile("SWEEP backend=(\\S+) cell=(\\S+) hidden=(\\d+) "
                + "batch=(\\d+) layers=(\\d+) time=(\\d+) train_step_ms=([0-9.]+)(?: train_gflops=\\S+)?"
                + "(?: mem_mb=([0-9.]+))?(?: \\S+=\\S+)*");

        /** @return the SWEEP line as a point, or null for any other line */
        static Sweep parse(String line) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                return null;
            }
            return new Sweep(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), Double.parseDouble(m.group(7)),
                    m.group(8) == null ? Double.NaN : Double.parseDouble(m.group(8)));
        }
    }

    /** One sweep point on a backend: the median training step, then the heap its model and session keep. */
    private Sweep sweepPoint(Backend backend, String label, String cellName, int hidden, int batch, int layers,
            int time) {
        long before = heapAfterGc();
        Network net = network(cellName, hidden, layers);
        Batch data = randomBatch(batch, time);
        try (Model model = backend.compile(net, Initialization.defaults().initialize(net, 0));
                TrainingSession session = model.openTraining(Optimizer.adam(1e-3))) {
            double ms = median(() -> session.step(data, null, 0L), steps, warmupSeconds);
            double mb = (heapAfterGc() - before) / 1e6;
            return new Sweep(label, cellName, hidden, batch, layers, time, ms, mb);
        }
    }

    /** @return the heap in use after a full collection, in bytes */
    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The median training step (Adam, through a session) of one sweep point, after warming up for warmFor s. */
    private double trainStep(Backend backend, String cellName, int hidden, int batch, int layers, int time,
            double warmFor) {
        Network net = network(cellName, hidden, layers);
        Batch data = randomBatch(batch, time);
        try (Model model = backend.compile(net, Initialization.defaults().initialize(net, 0));
                TrainingSession session = model.openTraining(Optimizer.adam(1e-3))) {
            return median(() -> session.step(data, null, 0L), steps, warmFor);
        }
    }

    private static final Pattern PEAK = Pattern.compile("PEAK backend=\\S+ threads=\\d+ sgemm_gflops=([0-9.]+)"
            + "(?: \\S+=\\S+)*");

    /** @return the peer's measured SGEMM rate from its PEAK line, or null for any other line */
    static Double peakGflops(String line) {
        Matcher m = PEAK.matcher(line.trim());
        return m.matches() ? Double.valueOf(m.group(1)) : null;
    }

    /** One BENCH line; {@code trainMs} is NaN for a backend that does not train. */
    record Result(String backend, String cell, double trainMs, double inferMs, double infer1Ms) {
        String line() {
            return String.format(Locale.ROOT, "BENCH backend=%s cell=%s train_step_ms=%s infer_b128_ms=%.2f "
                    + "infer_b1_ms=%.3f train_gflops=%s infer_b128_gflops=%.1f", backend, cell,
                    Double.isNaN(trainMs) ? "n/a" : String.format(Locale.ROOT, "%.2f", trainMs), inferMs, infer1Ms,
                    Double.isNaN(trainMs) ? "n/a" : String.format(Locale.ROOT, "%.1f", trainGflops()),
                    gflops(inferFlops(cell, B, T, I, H, 1, C), inferMs));
        }

        /** @return the training step's products' rate on the reference workload, GFLOP/s */
        double trainGflops() {
            return gflops(trainFlops(cell, B, T, I, H, 1, C), trainMs);
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

    /** {@code layers} stacked layers of the cell over I inputs (the last returning its last step), a 10-class head. */
    static Network network(String cellName, int hidden, int layers) {
        Network.Builder nb = Network.builder(I);
        for (int l = 0; l < layers; l++) {
            nb.layer(Sequence.builder(cell(cellName, hidden)).returnSequences(l < layers - 1).build());
        }
        return nb.head(Head.classifier(C)).build();
    }

    /** {@code rows} sequences of {@code time} × I uniform values in [0, 1) and random labels, the same every call. */
    private static Batch randomBatch(int rows, int time) {
        SplittableRandom random = new SplittableRandom(42);
        float[] x = new float[rows * time * I];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = random.nextInt(C);
        }
        return new Batch(Tensor.wrap(x, rows, time, I), y);
    }

    private Result benchOne(Backend backend, String label, String cellName) {
        Network net = network(cellName, H, 1);
        Batch batch = randomBatch(B, T);
        Tensor one = Tensor.of(Arrays.copyOf(batch.inputs().data(), T * I), 1, T, I);
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
        return median(call, perRound, warmupSeconds);
    }

    private double median(Runnable call, int perRound, double warmFor) {
        long until = System.nanoTime() + (long) (warmFor * 1e9);
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

    /**
     * @return the command that runs the peer script in its serve mode (one request at a time, {@link Peer}) with this
     *         run's cells, rounds, steps and warm-up, or null (said on standard output) when the script is not there
     */
    private List<String> peerCommand() {
        Path script = Path.of(System.getProperty("recurra.home", "."), "bench", "pytorch-bench.sh");
        if (!Files.isRegularFile(script)) {
            System.out.println("# peer skipped: " + script + " not found (run from the repository root or use "
                    + "./recurra bench)");
            return null;
        }
        return List.of("bash", script.toString(), String.join(",", cells), String.valueOf(rounds),
                String.valueOf(steps), String.valueOf(warmup), "serve");
    }

    /**
     * The peer script running in its serve mode: it reads one request per line on its standard input and answers each
     * with one line (echoing its other output, comment lines, as it comes), and ends at end of input.
     */
    static final class Peer implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        private boolean alive = true;

        private Peer(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** @return the running peer, or null (said on standard output) when it cannot start or cmd is null */
        static Peer start(List<String> cmd) {
            if (cmd == null) {
                return null;
            }
            try {
                return new Peer(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            } catch (IOException e) {
                System.out.println("# peer could not run: " + e.getMessage());
                return null;
            }
        }

        /**
         * Sends one request and waits for its answer: the first line that starts with {@code prefix}; every line
         * read is echoed.
         *
         * @return the answer, or null once the peer has ended (said on standard output the first time)
         */
        String ask(String request, String prefix) {
            if (!alive) {
                return null;
            }
            try {
                in.write(request + "\n");
                in.flush();
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println(line);
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            } catch (IOException e) {
                System.out.println("# peer failed: " + e.getMessage());
            }
            alive = false;
            System.out.println("# peer ended before answering '" + request + "'");
            return null;
        }

        @Override
        public void close() {
            try {
                in.close();
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println(line);
                }
                int rc = process.waitFor();
                if (rc != 0) {
                    System.out.println("# peer script exited with status " + rc);
                }
            } catch (IOException e) {
                process.destroy();
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
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
    static void printRatios(List<Result> results, Double peak) {
        for (Result r : results) {
            if ("pytorch".equals(r.backend())) {
                continue;
            }
            for (Result p : results) {
                if ("pytorch".equals(p.backend()) && p.cell().equals(r.cell())) {
                    System.out.printf(Locale.ROOT, "RATIO backend=%s cell=%s vs=pytorch b128_throughput=%.2fx "
                            + "b1_latency=%.2fx%s%s%n", r.backend(), r.cell(), p.inferMs() / r.inferMs(),
                            r.infer1Ms() / p.infer1Ms(), Double.isNaN(r.trainMs()) ? ""
                                    : String.format(Locale.ROOT, " train_step=%.2fx", r.trainMs() / p.trainMs()),
                            Double.isNaN(r.trainMs()) || peak == null ? ""
                                    : String.format(Locale.ROOT, " train_gflops=%.1f of_sgemm_peak=%.0f%%",
                                            r.trainGflops(), 100 * r.trainGflops() / peak));
                }
            }
        }
    }
}
