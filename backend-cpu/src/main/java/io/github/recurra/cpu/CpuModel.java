package io.github.recurra.cpu;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Dropout;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.InputChecks;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Ops;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.ejml.data.FMatrixRMaj;

/**
 * A network on the CPU backend.
 *
 * <p>Each layer runs one kernel per direction. A reverse direction reads each example's valid steps backwards (from
 * its own last step, never the padding) and its outputs are written back at the original time index; outputs past an
 * example's length are zero and its state stays as it was at its last step. The directions' outputs are merged per
 * {@link MergeMode}; a layer that returns only its last step outputs the merge of its directions' final states, or with
 * {@link LastStep#LAST_TIME_INDEX} the merged output at each example's last valid time index (for a reverse direction
 * its output after its first step), and then gets its gradient at that step of each direction instead of at the final
 * states.
 *
 * <p>A batch is split into contiguous shards of about 64 rows (two for a batch of 32 to 127 rows), which the worker
 * threads run on their own workspaces;
 * the number of shards depends only on the batch size, gradients are summed shard by shard in a fixed order, and
 * dropout masks depend only on the seed and the example's row, so results are the same bit for bit whatever the timing
 * or the number of threads. Forward passes may run concurrently (they only read the weights); parameter changes take
 * the write lock. Memory: each shard in flight holds every step's activations for its rows, at most one shard per
 * thread is in flight, and training adds one gradient copy per thread, so a pass over a huge batch needs about as
 * much working memory as one over a batch of a few hundred.
 */
final class CpuModel implements Model {
    /**
     * Rows per shard: batches of 128 rows or more get shards of 64 to 127 rows; smaller ones are split in two from 32
     * rows up (so that two cores share them) and are one shard below that.
     */
    static final int SHARD_ROWS = 64;
    /** The fewest rows a shard of a batch below {@code 2 * SHARD_ROWS} gets: such batches are split in two from here. */
    static final int MIN_SHARD_ROWS = 16;

    private final CpuBackend backend;
    private final Network network;
    private final Parameters params;
    private final Kernel[][] kernels;
    private final boolean[][] reversed;
    private final int[] outSizes;
    /** Whether the top layer, returning its last step, outputs the merge at the last valid time index. */
    private final boolean lastTimeIndex;
    private final Head head;
    private final int headOutputs;
    private final boolean perStep;
    private final int topSize;
    private final FMatrixRMaj headWt;
    private final FMatrixRMaj headW;
    private final float[] headB;
    private final WorkspacePool pool;
    private final ExecutorService executor;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    CpuModel(CpuBackend backend, Network network, Parameters parameters, ExecutorService executor) {
        this.backend = backend;
        this.network = network;
        parameters.checkMatches(network);
        this.params = parameters.copy();
        int layers = network.layers().size();
        this.kernels = new Kernel[layers][];
        this.reversed = new boolean[layers][];
        this.outSizes = new int[layers];
        for (int k = 0; k < layers; k++) {
            Sequence s = network.layers().get(k);
            int dirs = s.direction().count();
            kernels[k] = new Kernel[dirs];
            reversed[k] = new boolean[dirs];
            for (int d = 0; d < dirs; d++) {
                kernels[k][d] = kernelFor(k, d, network.layerInputSize(k), s.cell());
                reversed[k][d] = s.direction() == Direction.REVERSE || d == 1;
            }
            outSizes[k] = s.outputSize();
        }
        Sequence top = network.layers().get(layers - 1);
        this.lastTimeIndex = !top.returnSequences() && top.lastStep() == LastStep.LAST_TIME_INDEX;
        this.head = network.head().orElse(null);
        this.headOutputs = head == null ? 0 : head.outputs();
        this.perStep = head != null && head.target() == Head.Target.EVERY_STEP;
        this.topSize = network.outputSize();
        this.headWt = new FMatrixRMaj(topSize, Math.max(headOutputs, 1));
        this.headW = new FMatrixRMaj(Math.max(headOutputs, 1), topSize);
        this.headB = new float[headOutputs];
        this.executor = executor;
        boolean dropout = network.dropout() > 0;
        this.pool = new WorkspacePool((b, t) -> new NetWorkspace(kernels, reversed, outSizes, b, t, headOutputs,
                perStep, dropout), 2 * backend.threads() + 2);
        loadAll();
    }

    private static Kernel kernelFor(int layer, int dir, int in, Cell c) {
        if (c instanceof LstmCell) {
            return new LstmKernel(layer, dir, in, (LstmCell) c);
        } else if (c instanceof GruCell) {
            return new GruKernel(layer, dir, in, (GruCell) c);
        }
        return new RnnKernel(layer, dir, in, (RnnCell) c);
    }

    private void loadAll() {
        for (Kernel[] ks : kernels) {
            for (Kernel k : ks) {
                k.load(params);
            }
        }
        if (headOutputs > 0) {
            float[] w = params.get(Parameters.HEAD_W).data();
            Blas.copyFrom(w, 0, headW);
            Blas.transposeFrom(w, 0, headOutputs, topSize, headWt);
            System.arraycopy(params.get(Parameters.HEAD_B).data(), 0, headB, 0, headOutputs);
        }
    }

    @Override
    public String backend() {
        return backend.name();
    }

    @Override
    public Network network() {
        return network;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this model was closed; compile the network again");
        }
    }

    private void checkExtras(Batch batch, States initial) {
        if (batch.lengths() != null) {
            backend.require(Capability.SEQUENCE_LENGTHS, "use per-example sequence lengths");
        }
        if (initial != null) {
            backend.require(Capability.INITIAL_STATES, "start from given initial states");
            InputChecks.checkStates(network, initial, batch.size());
        }
    }

    @Override
    public Forward forward(Batch batch, States initial) {
        return forward(batch, initial, false, 0L);
    }

    @Override
    public Forward forwardTraining(Batch batch, States initial, long seed) {
        return forward(batch, initial, true, seed);
    }

    private Forward forward(Batch batch, States initial, boolean training, long seed) {
        checkOpen();
        InputChecks.checkInputs(network, batch.inputs());
        checkExtras(batch, initial);
        int n = batch.size();
        int time = batch.timeSteps();
        boolean seq = network.layers().get(kernels.length - 1).returnSequences();
        Tensor output = seq ? Tensor.zeros(n, time, topSize) : Tensor.zeros(n, topSize);
        States finals = newStates(n);
        Tensor logits = headOutputs == 0 ? null
                : perStep ? Tensor.zeros(n, time, headOutputs) : Tensor.zeros(n, headOutputs);
        lock.readLock().lock();
        try {
            checkOpen();
            List<int[]> ranges = shards(n);
            runShards(ranges, i -> {
                int from = ranges.get(i)[0];
                NetWorkspace ws = pool.borrow(ranges.get(i)[1] - from, time);
                try {
                    forwardShard(ws, batch, from, initial, training, seed);
                    copyOutputs(ws, from, n, output, seq, finals, logits);
                } finally {
                    pool.release(ws);
                }
            });
        } finally {
            lock.readLock().unlock();
        }
        return new Forward(output, finals, logits, logits == null ? null : head.predictions(logits));
    }

    @Override
    public LossAndGradients lossAndGradients(Batch batch, States initial, long seed) {
        checkOpen();
        backend.require(Capability.TRAINING, "compute gradients");
        InputChecks.checkLabelled(network, batch);
        checkExtras(batch, initial);
        int n = batch.size();
        int time = batch.timeSteps();
        // the loss is a mean over every example (last step) or every valid step, across all shards
        long count = 0;
        for (int b = 0; b < n; b++) {
            count += perStep ? batch.length(b) : 1;
        }
        double denominator = count * (head.loss() == Head.Loss.MEAN_SQUARED_ERROR ? headOutputs : 1);
        Tensor logits = perStep ? Tensor.zeros(n, time, headOutputs) : Tensor.zeros(n, headOutputs);
        States finals = newStates(n);
        States initialGrads = newStates(n);
        lock.readLock().lock();
        try {
            checkOpen();
            List<int[]> ranges = shards(n);
            // waves of one shard per thread; each wave's gradients are added in shard order, so memory stays bounded
            // and the sum does not depend on which thread ran what
            Parameters grads = null;
            double total = 0;
            int wave = backend.threads();
            for (int first = 0; first < ranges.size(); first += wave) {
                List<int[]> part = ranges.subList(first, Math.min(ranges.size(), first + wave));
                Parameters[] shardGrads = new Parameters[part.size()];
                double[] loss = new double[part.size()];
                runShards(part, i -> {
                    int from = part.get(i)[0];
                    NetWorkspace ws = pool.borrow(part.get(i)[1] - from, time);
                    try {
                        forwardShard(ws, batch, from, initial, true, seed);
                        loss[i] = backwardShard(ws, batch, from, denominator);
                        copyOutputs(ws, from, n, null, false, finals, logits);
                        copyInitialGradients(ws, from, n, initialGrads);
                        shardGrads[i] = canonicalGradients(ws);
                    } finally {
                        pool.release(ws);
                    }
                });
                for (int i = 0; i < shardGrads.length; i++) {
                    if (grads == null) {
                        grads = shardGrads[i];
                    } else {
                        for (String name : grads.names()) {
                            float[] acc = grads.get(name).data();
                            float[] add = shardGrads[i].get(name).data();
                            for (int j = 0; j < acc.length; j++) {
                                acc[j] += add[j];
                            }
                        }
                    }
                    total += loss[i];
                }
            }
            return new LossAndGradients(total / denominator, logits, grads, finals, initialGrads);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A shard's gradients in the canonical layout (so its workspace can go back to the pool at once). */
    private Parameters canonicalGradients(NetWorkspace ws) {
        Parameters grads = Parameters.zerosFor(network);
        for (int k = 0; k < kernels.length; k++) {
            for (int d = 0; d < kernels[k].length; d++) {
                kernels[k][d].storeGrads(ws.grads[k][d], grads);
            }
        }
        Blas.transposeTo(ws.dHeadWt, grads.get(Parameters.HEAD_W).data(), 0);
        System.arraycopy(ws.dHeadB, 0, grads.get(Parameters.HEAD_B).data(), 0, headOutputs);
        return grads;
    }

    private States newStates(int n) {
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        for (Kernel[] ks : kernels) {
            h.add(Tensor.zeros(ks.length, n, ks[0].hidden));
            c.add(ks[0] instanceof LstmKernel ? Tensor.zeros(ks.length, n, ks[0].hidden) : null);
        }
        return new States(h, c);
    }

    /** Runs the network on rows [from, from + ws.batch) of the batch. */
    private void forwardShard(NetWorkspace ws, Batch batch, int from, States initial, boolean training, long seed) {
        int time = ws.time;
        int rows = ws.batch;
        int n = batch.size();
        ws.setLengths(batch.lengths() == null ? null : Arrays.copyOfRange(batch.lengths(), from, from + rows));
        float[] src = batch.inputs().data();
        int features = network.inputSize();
        for (int k = 0; k < kernels.length; k++) {
            LayerRun run = ws.layers[k];
            if (k == 0) {
                for (int t = 0; t < time; t++) {
                    float[] dst = run.input[t].data;
                    for (int b = 0; b < rows; b++) {
                        System.arraycopy(src, ((from + b) * time + t) * features, dst, b * features, features);
                    }
                }
            } else {
                LayerRun below = ws.layers[k - 1];
                boolean drop = training && run.dropMask != null;
                if (drop) {
                    fillDropout(run, k, from, seed);
                }
                for (int t = 0; t < time; t++) {
                    float[] dst = run.input[t].data;
                    System.arraycopy(below.y[t].data, 0, dst, 0, rows * run.in);
                    if (drop) {
                        float[] m = run.dropMask[t];
                        for (int i = 0; i < rows * run.in; i++) {
                            dst[i] *= m[i];
                        }
                    }
                }
            }
            for (int d = 0; d < run.dirs; d++) {
                LayerWorkspace lw = run.dir[d];
                if (run.reversed[d]) {
                    reverseRows(ws, run.input, lw.x, run.in);
                }
                int h = run.hidden;
                int offset = (d * n + from) * h;
                setInitial(lw.h[0], initial == null ? null : initial.hidden().get(k), offset);
                if (lw.c != null) {
                    setInitial(lw.c[0], initial == null ? null : initial.cell().get(k), offset);
                }
                kernels[k][d].forward(lw);
            }
            boolean seq = k < kernels.length - 1 || network.layers().get(k).returnSequences();
            MergeMode mode = network.layers().get(k).mergeMode();
            if (seq) {
                for (int t = 0; t < time; t++) {
                    float[] y = run.y[t].data;
                    for (int b = 0; b < rows; b++) {
                        if (t >= ws.length(b)) {
                            Arrays.fill(y, b * run.out, (b + 1) * run.out, 0f);
                            continue;
                        }
                        merge(mode, run, ws.length(b), t, b, y, b * run.out);
                    }
                }
            } else if (lastTimeIndex) {
                float[] last = run.last.data;
                for (int b = 0; b < rows; b++) {
                    int len = ws.length(b);
                    merge(mode, run, len, len - 1, b, last, b * run.out);
                }
            } else {
                float[] last = run.last.data;
                for (int b = 0; b < rows; b++) {
                    mergeFinal(mode, run, time, b, last, b * run.out);
                }
            }
        }
        if (headOutputs > 0) {
            LayerRun top = ws.layers[kernels.length - 1];
            for (int i = 0; i < ws.logits.length; i++) {
                Blas.mult(perStep ? top.y[i] : top.last, headWt, ws.logits[i]);
                Blas.addRowVector(ws.logits[i], 0, headB, 0, headOutputs);
            }
        }
    }

    /** Inverted dropout masks for a layer's input, per example row ({@link Dropout} defines them for every backend). */
    private void fillDropout(LayerRun run, int layer, int from, long seed) {
        for (int b = 0; b < run.dir[0].batch; b++) {
            Dropout.fill(network.dropout(), seed, layer, (long) from + b, run.dropMask, b * run.in, run.in);
        }
    }

    /** Row b's valid steps in reverse: dst[t][b] = src[length − 1 − t][b] for t &lt; length, else 0. */
    private static void reverseRows(NetWorkspace ws, FMatrixRMaj[] src, FMatrixRMaj[] dst, int cols) {
        for (int b = 0; b < ws.batch; b++) {
            int len = ws.length(b);
            for (int t = 0; t < ws.time; t++) {
                if (t < len) {
                    System.arraycopy(src[len - 1 - t].data, b * cols, dst[t].data, b * cols, cols);
                } else {
                    Arrays.fill(dst[t].data, b * cols, (b + 1) * cols, 0f);
                }
            }
        }
    }

    /** Position of original step t of row b in a direction's own processing order. */
    private static int position(LayerRun run, int d, int len, int t) {
        return run.reversed[d] ? len - 1 - t : t;
    }

    /** Merged output of row b at original step t (t &lt; len). */
    private static void merge(MergeMode mode, LayerRun run, int len, int t, int b, float[] dst, int off) {
        int h = run.hidden;
        float[] a = run.dir[0].h[position(run, 0, len, t) + 1].data;
        if (run.dirs == 1) {
            System.arraycopy(a, b * h, dst, off, h);
            return;
        }
        float[] r = run.dir[1].h[position(run, 1, len, t) + 1].data;
        combine(mode, a, r, b * h, dst, off, h);
    }

    private static void mergeFinal(MergeMode mode, LayerRun run, int time, int b, float[] dst, int off) {
        int h = run.hidden;
        float[] a = run.dir[0].h[time].data;
        if (run.dirs == 1) {
            System.arraycopy(a, b * h, dst, off, h);
            return;
        }
        combine(mode, a, run.dir[1].h[time].data, b * h, dst, off, h);
    }

    private static void combine(MergeMode mode, float[] a, float[] r, int src, float[] dst, int off, int h) {
        switch (mode) {
            case CONCAT:
                System.arraycopy(a, src, dst, off, h);
                System.arraycopy(r, src, dst, off + h, h);
                break;
            case SUM:
                for (int j = 0; j < h; j++) {
                    dst[off + j] = a[src + j] + r[src + j];
                }
                break;
            case AVERAGE:
                for (int j = 0; j < h; j++) {
                    dst[off + j] = (a[src + j] + r[src + j]) * 0.5f;
                }
                break;
            default:
                for (int j = 0; j < h; j++) {
                    dst[off + j] = a[src + j] * r[src + j];
                }
        }
    }

    /**
     * Splits the gradient of a merged output into the directions' gradients: da (and dr) at {@code dst} offsets, given
     * the directions' outputs a and r at {@code src}.
     */
    private static void split(MergeMode mode, int dirs, float[] g, int goff, float[] a, float[] r, int src,
            float[] da, float[] dr, int dst, int h) {
        if (dirs == 1) {
            System.arraycopy(g, goff, da, dst, h);
            return;
        }
        switch (mode) {
            case CONCAT:
                System.arraycopy(g, goff, da, dst, h);
                System.arraycopy(g, goff + h, dr, dst, h);
                break;
            case SUM:
                System.arraycopy(g, goff, da, dst, h);
                System.arraycopy(g, goff, dr, dst, h);
                break;
            case AVERAGE:
                for (int j = 0; j < h; j++) {
                    da[dst + j] = g[goff + j] * 0.5f;
                    dr[dst + j] = g[goff + j] * 0.5f;
                }
                break;
            default:
                for (int j = 0; j < h; j++) {
                    da[dst + j] = g[goff + j] * r[src + j];
                    dr[dst + j] = g[goff + j] * a[src + j];
                }
        }
    }

    private static void setInitial(FMatrixRMaj m, Tensor state, int offset) {
        if (state == null) {
            m.zero();
        } else {
            System.arraycopy(state.data(), offset, m.data, 0, m.getNumElements());
        }
    }

    /**
     * Backpropagates the shard's summed loss divided by {@code denominator} (the batch-wide count the mean is over),
     * so the shards add up to the gradient of the batch mean.
     *
     * @return the shard's summed loss (not divided)
     */
    private double backwardShard(NetWorkspace ws, Batch batch, int from, double denominator) {
        ws.zeroGrads();
        int time = ws.time;
        int rows = ws.batch;
        int c = headOutputs;
        float scale = (float) (1 / denominator);
        boolean mse = head.loss() == Head.Loss.MEAN_SQUARED_ERROR;
        int[] labels = batch.labels();
        float[] targets = mse ? batch.targets().data() : null;
        LayerRun top = ws.layers[kernels.length - 1];
        double loss = 0;
        for (int i = 0; i < ws.logits.length; i++) {
            float[] lg = ws.logits[i].data;
            float[] dl = ws.dLogits[i].data;
            for (int b = 0; b < rows; b++) {
                int o = b * c;
                int row = from + b;
                if (perStep && i >= ws.length(b)) {
                    Arrays.fill(dl, o, o + c, 0f);
                    continue;
                }
                int target = perStep ? row * time + i : row;
                if (mse) {
                    for (int j = 0; j < c; j++) {
                        float e = lg[o + j] - targets[target * c + j];
                        loss += (double) e * e;
                        dl[o + j] = 2f * e * scale;
                    }
                } else {
                    loss += Ops.crossEntropy(lg, o, c, labels[target], dl, scale);
                }
            }
            FMatrixRMaj in = perStep ? top.y[i] : top.last;
            Blas.multAddTransA(in, ws.dLogits[i], ws.dHeadWt);
            Blas.addColumnSums(ws.dLogits[i], 0, c, ws.dHeadB, 0);
            Blas.mult(ws.dLogits[i], headW, perStep ? top.dy[i] : top.dLast);
        }
        for (int k = kernels.length - 1; k >= 0; k--) {
            backwardLayer(ws, k);
        }
        return loss;
    }

    private void backwardLayer(NetWorkspace ws, int k) {
        LayerRun run = ws.layers[k];
        int time = ws.time;
        int rows = ws.batch;
        int h = run.hidden;
        MergeMode mode = network.layers().get(k).mergeMode();
        boolean seq = k < kernels.length - 1 || network.layers().get(k).returnSequences();
        float[] a0;
        float[] a1;
        if (seq) {
            for (int d = 0; d < run.dirs; d++) {
                for (FMatrixRMaj m : run.dOut[d]) {
                    m.zero();
                }
            }
            for (int t = 0; t < time; t++) {
                float[] g = run.dy[t].data;
                for (int b = 0; b < rows; b++) {
                    int len = ws.length(b);
                    if (t >= len) {
                        continue;
                    }
                    int p0 = position(run, 0, len, t);
                    a0 = run.dir[0].h[p0 + 1].data;
                    if (run.dirs == 1) {
                        split(mode, 1, g, b * run.out, null, null, 0, run.dOut[0][p0].data, null, b * h, h);
                    } else {
                        int p1 = position(run, 1, len, t);
                        a1 = run.dir[1].h[p1 + 1].data;
                        float[] da = run.dOut[0][p0].data;
                        float[] dr = run.dOut[1][p1].data;
                        split(mode, 2, g, b * run.out, a0, a1, b * h, da, dr, b * h, h);
                    }
                }
            }
            for (int d = 0; d < run.dirs; d++) {
                kernels[k][d].backward(run.dir[d], run.dOut[d], null, ws.grads[k][d]);
            }
        } else if (lastTimeIndex) {
            // the output read each direction at step len - 1 of the original order (a reverse direction's first
            // step): the gradient enters there, at a step the kernel sees as any other, not at the final states
            for (int d = 0; d < run.dirs; d++) {
                Arrays.fill(run.lastIndexOut[d], null);
            }
            float[] g = run.dLast.data;
            for (int b = 0; b < rows; b++) {
                int len = ws.length(b);
                int p0 = position(run, 0, len, len - 1);
                a0 = run.dir[0].h[p0 + 1].data;
                float[] da = lastIndexGradient(run, 0, p0);
                if (run.dirs == 1) {
                    split(mode, 1, g, b * run.out, null, null, 0, da, null, b * h, h);
                } else {
                    int p1 = position(run, 1, len, len - 1);
                    a1 = run.dir[1].h[p1 + 1].data;
                    float[] dr = lastIndexGradient(run, 1, p1);
                    split(mode, 2, g, b * run.out, a0, a1, b * h, da, dr, b * h, h);
                }
            }
            for (int d = 0; d < run.dirs; d++) {
                kernels[k][d].backward(run.dir[d], run.lastIndexOut[d], null, ws.grads[k][d]);
            }
        } else {
            a0 = run.dir[0].h[time].data;
            a1 = run.dirs == 2 ? run.dir[1].h[time].data : null;
            float[] g = run.dLast.data;
            for (int b = 0; b < rows; b++) {
                split(mode, run.dirs, g, b * run.out, a0, a1, b * h, run.dFinal[0].data,
                        run.dirs == 2 ? run.dFinal[1].data : null, b * h, h);
            }
            for (int d = 0; d < run.dirs; d++) {
                kernels[k][d].backward(run.dir[d], run.noSteps, run.dFinal[d], ws.grads[k][d]);
            }
        }
        if (k == 0) {
            return;
        }
        int in = run.in;
        for (int t = 0; t < time; t++) {
            float[] di = run.dInput[t].data;
            Arrays.fill(di, 0, rows * in, 0f);
            for (int d = 0; d < run.dirs; d++) {
                for (int b = 0; b < rows; b++) {
                    int len = ws.length(b);
                    if (t >= len) {
                        continue;
                    }
                    float[] dx = run.dir[d].dx[position(run, d, len, t)].data;
                    for (int j = 0; j < in; j++) {
                        di[b * in + j] += dx[b * in + j];
                    }
                }
            }
            if (run.dropMask != null) {
                float[] m = run.dropMask[t];
                for (int i = 0; i < rows * in; i++) {
                    di[i] *= m[i];
                }
            }
            System.arraycopy(di, 0, ws.layers[k - 1].dy[t].data, 0, rows * in);
        }
    }

    /**
     * The gradient buffer of direction d at processing step p for the last-time-index output, zeroed and entered in
     * {@code run.lastIndexOut[d]} on first use in this backward pass.
     */
    private static float[] lastIndexGradient(LayerRun run, int d, int p) {
        FMatrixRMaj m = run.lastIndexOut[d][p];
        if (m == null) {
            m = run.dOut[d][p];
            m.zero();
            run.lastIndexOut[d][p] = m;
        }
        return m.data;
    }

    private void copyOutputs(NetWorkspace ws, int from, int n, Tensor output, boolean seq, States finals,
            Tensor logits) {
        int time = ws.time;
        int rows = ws.batch;
        LayerRun top = ws.layers[kernels.length - 1];
        if (output != null) {
            float[] out = output.data();
            int f = topSize;
            if (seq) {
                for (int t = 0; t < time; t++) {
                    float[] y = top.y[t].data;
                    for (int b = 0; b < rows; b++) {
                        System.arraycopy(y, b * f, out, ((from + b) * time + t) * f, f);
                    }
                }
            } else {
                System.arraycopy(top.last.data, 0, out, from * f, rows * f);
            }
        }
        for (int k = 0; k < kernels.length; k++) {
            LayerRun run = ws.layers[k];
            for (int d = 0; d < run.dirs; d++) {
                int off = (d * n + from) * run.hidden;
                System.arraycopy(run.dir[d].h[time].data, 0, finals.hidden().get(k).data(), off, rows * run.hidden);
                if (run.dir[d].c != null) {
                    System.arraycopy(run.dir[d].c[time].data, 0, finals.cell().get(k).data(), off,
                            rows * run.hidden);
                }
            }
        }
        if (logits != null) {
            float[] lg = logits.data();
            int c = headOutputs;
            if (perStep) {
                for (int t = 0; t < time; t++) {
                    for (int b = 0; b < rows; b++) {
                        System.arraycopy(ws.logits[t].data, b * c, lg, ((from + b) * time + t) * c, c);
                    }
                }
            } else {
                System.arraycopy(ws.logits[0].data, 0, lg, from * c, rows * c);
            }
        }
    }

    /** After backward, each direction's recurrent gradient is the gradient with respect to its initial state. */
    private void copyInitialGradients(NetWorkspace ws, int from, int n, States grads) {
        for (int k = 0; k < kernels.length; k++) {
            LayerRun run = ws.layers[k];
            for (int d = 0; d < run.dirs; d++) {
                int off = (d * n + from) * run.hidden;
                int len = ws.batch * run.hidden;
                System.arraycopy(run.dir[d].dH.data, 0, grads.hidden().get(k).data(), off, len);
                if (run.dir[d].c != null) {
                    System.arraycopy(run.dir[d].dC.data, 0, grads.cell().get(k).data(), off, len);
                }
            }
        }
    }

    /**
     * Splits a batch into shards. Their number depends only on the batch size (one per {@link #SHARD_ROWS} rows from
     * 128 rows up; two below that once each has {@link #MIN_SHARD_ROWS} rows; else one), never on the thread count, so
     * that gradients are summed in the same order on every machine and results are bit-for-bit the same whatever the
     * number of threads.
     */
    static List<int[]> shards(int batch) {
        int n = batch >= 2 * SHARD_ROWS ? batch / SHARD_ROWS : batch >= 2 * MIN_SHARD_ROWS ? 2 : 1;
        List<int[]> ranges = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ranges.add(new int[] {batch * i / n, batch * (i + 1) / n});
        }
        return ranges;
    }

    @FunctionalInterface
    private interface ShardTask {
        void run(int shard);
    }

    /**
     * Runs the shards on the calling thread and up to {@code threads − 1} workers, and returns only when every shard has
     * finished (even if the caller is interrupted or a shard fails, so no workspace is released while in use);
     * then rethrows the first failure and restores the interrupt flag.
     */
    private void runShards(List<int[]> ranges, ShardTask task) {
        if (ranges.size() == 1 || executor == null) {
            for (int i = 0; i < ranges.size(); i++) {
                task.run(i);
            }
            return;
        }
        // the caller and up to threads - 1 workers each claim the next unclaimed shard until none is left
        AtomicInteger next = new AtomicInteger();
        int n = ranges.size();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                task.run(i);
            }
        };
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 1; i < Math.min(backend.threads(), n); i++) {
            futures.add(executor.submit(worker));
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (Throwable e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        } else if (failure instanceof Error) {
            throw (Error) failure;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        lock.readLock().lock();
        try {
            checkOpen();
            return params.copy();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void setParameters(Parameters parameters) {
        checkOpen();
        parameters.checkMatches(network);
        lock.writeLock().lock();
        try {
            checkOpen();
            params.copyFrom(parameters);
            loadAll();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Frees the workspaces. Waits for the calls in flight on other threads (they hold the read lock) to finish; calls
     * that start later, or were waiting for the lock, fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            pool.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
