package io.github.recurra.cpu;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
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
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.ejml.data.FMatrixRMaj;

/**
 * A network on the CPU backend. A batch is split into up to {@code threads} contiguous shards that run on their own
 * workspaces at the same time; gradients are summed shard by shard in a fixed order, so results do not depend on
 * timing. Forward passes may run concurrently (they only read the weights); parameter changes take the write lock.
 */
final class CpuModel implements Model {
    /** Shards smaller than this are not worth a thread. */
    private static final int MIN_SHARD = 16;

    private final CpuBackend backend;
    private final Network network;
    private final Parameters params;
    private final Kernel[] kernels;
    private final int headOutputs;
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
        this.kernels = new Kernel[network.layers().size()];
        for (int k = 0; k < kernels.length; k++) {
            kernels[k] = kernelFor(k, network.layerInputSize(k), network.layers().get(k));
        }
        this.headOutputs = network.head().map(h -> h.outputs()).orElse(0);
        this.topSize = network.outputSize();
        this.headWt = new FMatrixRMaj(topSize, Math.max(headOutputs, 1));
        this.headW = new FMatrixRMaj(Math.max(headOutputs, 1), topSize);
        this.headB = new float[headOutputs];
        this.executor = executor;
        this.pool = new WorkspacePool((b, t) -> new NetWorkspace(kernels, b, t, headOutputs),
                2 * backend.threads() + 2);
        loadAll();
    }

    private static Kernel kernelFor(int layer, int in, Sequence s) {
        Cell c = s.cell();
        if (c instanceof LstmCell) {
            return new LstmKernel(layer, in, (LstmCell) c);
        } else if (c instanceof GruCell) {
            return new GruKernel(layer, in, (GruCell) c);
        }
        return new RnnKernel(layer, in, (RnnCell) c);
    }

    private void loadAll() {
        for (Kernel k : kernels) {
            k.load(params);
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

    @Override
    public Forward forward(Tensor inputs) {
        return forward(inputs, null);
    }

    @Override
    public Forward forward(Tensor inputs, States initial) {
        checkOpen();
        InputChecks.checkInputs(network, inputs);
        int batch = inputs.dim(0);
        int time = inputs.dim(1);
        if (initial != null) {
            backend.require(Capability.INITIAL_STATES, "start from given initial states");
            InputChecks.checkStates(network, initial, batch);
        }
        boolean seq = network.layers().get(kernels.length - 1).returnSequences();
        Tensor output = seq ? Tensor.zeros(batch, time, topSize) : Tensor.zeros(batch, topSize);
        List<Tensor> finalH = new ArrayList<>();
        List<Tensor> finalC = new ArrayList<>();
        for (Kernel k : kernels) {
            finalH.add(Tensor.zeros(1, batch, k.hidden));
            finalC.add(k instanceof LstmKernel ? Tensor.zeros(1, batch, k.hidden) : null);
        }
        Tensor logits = headOutputs > 0 ? Tensor.zeros(batch, headOutputs) : null;
        lock.readLock().lock();
        try {
            runSharded(batch, (from, to) -> {
                NetWorkspace ws = pool.borrow(to - from, time);
                try {
                    forwardShard(ws, inputs, from, initial);
                    copyOutputs(ws, from, output, seq, finalH, finalC, logits);
                } finally {
                    pool.release(ws);
                }
                return null;
            });
        } finally {
            lock.readLock().unlock();
        }
        Tensor predictions = null;
        if (logits != null) {
            predictions = Tensor.zeros(batch, headOutputs);
            Ops.softmaxRows(logits.data(), batch, headOutputs, predictions.data());
        }
        return new Forward(output, new States(finalH, finalC), logits, predictions);
    }

    @Override
    public LossAndGradients lossAndGradients(Batch batch) {
        checkOpen();
        backend.require(Capability.TRAINING, "compute gradients");
        InputChecks.checkLabelled(network, batch);
        int n = batch.size();
        int time = batch.timeSteps();
        int[] labels = batch.labels();
        Tensor logits = Tensor.zeros(n, headOutputs);
        lock.readLock().lock();
        try {
            List<int[]> ranges = shards(n);
            List<NetWorkspace> used = new ArrayList<>(ranges.size());
            double[] loss = new double[ranges.size()];
            try {
                for (int[] r : ranges) {
                    used.add(pool.borrow(r[1] - r[0], time));
                }
                runShards(ranges, i -> {
                    int[] r = ranges.get(i);
                    NetWorkspace ws = used.get(i);
                    forwardShard(ws, batch.inputs(), r[0], null);
                    loss[i] = backwardShard(ws, labels, r[0], n);
                    System.arraycopy(ws.logits.data, 0, logits.data(), r[0] * headOutputs,
                            (r[1] - r[0]) * headOutputs);
                });
                NetWorkspace sum = used.get(0);
                double total = loss[0];
                for (int i = 1; i < used.size(); i++) {
                    sum.addGrads(used.get(i));
                    total += loss[i];
                }
                Parameters grads = Parameters.zerosFor(network);
                for (int k = 0; k < kernels.length; k++) {
                    kernels[k].storeGrads(sum.grads[k], grads);
                }
                Blas.transposeTo(sum.dHeadWt, grads.get(Parameters.HEAD_W).data(), 0);
                System.arraycopy(sum.dHeadB, 0, grads.get(Parameters.HEAD_B).data(), 0, headOutputs);
                return new LossAndGradients(total / n, logits, grads);
            } finally {
                used.forEach(pool::release);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs the network on rows [from, from + ws.batch) of {@code inputs}. */
    private void forwardShard(NetWorkspace ws, Tensor inputs, int from, States initial) {
        int time = ws.time;
        int features = network.inputSize();
        float[] src = inputs.data();
        LayerWorkspace first = ws.layers[0];
        for (int t = 0; t < time; t++) {
            float[] dst = first.x[t].data;
            for (int b = 0; b < ws.batch; b++) {
                System.arraycopy(src, ((from + b) * time + t) * features, dst, b * features, features);
            }
        }
        for (int k = 0; k < kernels.length; k++) {
            LayerWorkspace lw = ws.layers[k];
            int h = kernels[k].hidden;
            setInitial(lw.h[0], initial == null ? null : initial.hidden().get(k), from, h);
            if (lw.c != null) {
                setInitial(lw.c[0], initial == null ? null : initial.cell().get(k), from, h);
            }
            kernels[k].forward(lw);
        }
        if (headOutputs > 0) {
            Blas.mult(ws.lastOutput(), headWt, ws.logits);
            Blas.addRowVector(ws.logits, 0, headB, 0, headOutputs);
        }
    }

    private static void setInitial(FMatrixRMaj m, Tensor state, int from, int hidden) {
        if (state == null) {
            m.zero();
        } else {
            System.arraycopy(state.data(), from * hidden, m.data, 0, m.getNumElements());
        }
    }

    /**
     * Backpropagates the summed cross-entropy of the shard, scaled by 1 / {@code total} so that the shards add up to
     * the gradient of the batch mean.
     *
     * @return the shard's summed loss
     */
    private double backwardShard(NetWorkspace ws, int[] labels, int from, int total) {
        ws.zeroGrads();
        float[] lg = ws.logits.data;
        float[] dl = ws.dLogits.data;
        int c = headOutputs;
        Ops.softmaxRows(lg, ws.batch, c, dl);
        int[] shardLabels = java.util.Arrays.copyOfRange(labels, from, from + ws.batch);
        double loss = Ops.meanCrossEntropy(lg, shardLabels, c) * ws.batch;
        float scale = 1f / total;
        for (int b = 0; b < ws.batch; b++) {
            for (int j = 0; j < c; j++) {
                int i = b * c + j;
                dl[i] = (dl[i] - (j == shardLabels[b] ? 1f : 0f)) * scale;
            }
        }
        FMatrixRMaj last = ws.lastOutput();
        Blas.multAddTransA(last, ws.dLogits, ws.dHeadWt);
        Blas.addColumnSums(ws.dLogits, 0, c, ws.dHeadB, 0);
        Blas.mult(ws.dLogits, headW, ws.dLast);
        FMatrixRMaj[] dOut = ws.dTop;
        for (int k = kernels.length - 1; k >= 0; k--) {
            kernels[k].backward(ws.layers[k], dOut, ws.grads[k]);
            dOut = ws.layers[k].dx;
        }
        return loss;
    }

    private void copyOutputs(NetWorkspace ws, int from, Tensor output, boolean seq, List<Tensor> finalH,
            List<Tensor> finalC, Tensor logits) {
        int time = ws.time;
        int f = topSize;
        LayerWorkspace top = ws.layers[kernels.length - 1];
        float[] out = output.data();
        if (seq) {
            for (int t = 0; t < time; t++) {
                float[] h = top.h[t + 1].data;
                for (int b = 0; b < ws.batch; b++) {
                    System.arraycopy(h, b * f, out, ((from + b) * time + t) * f, f);
                }
            }
        } else {
            System.arraycopy(top.h[time].data, 0, out, from * f, ws.batch * f);
        }
        for (int k = 0; k < kernels.length; k++) {
            int h = kernels[k].hidden;
            LayerWorkspace lw = ws.layers[k];
            System.arraycopy(lw.h[time].data, 0, finalH.get(k).data(), from * h, ws.batch * h);
            if (lw.c != null) {
                System.arraycopy(lw.c[time].data, 0, finalC.get(k).data(), from * h, ws.batch * h);
            }
        }
        if (logits != null) {
            System.arraycopy(ws.logits.data, 0, logits.data(), from * headOutputs, ws.batch * headOutputs);
        }
    }

    private List<int[]> shards(int batch) {
        int n = Math.max(1, Math.min(backend.threads(), batch / MIN_SHARD));
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

    @FunctionalInterface
    private interface RangeTask {
        Void run(int from, int to);
    }

    private void runSharded(int batch, RangeTask task) {
        List<int[]> ranges = shards(batch);
        runShards(ranges, i -> task.run(ranges.get(i)[0], ranges.get(i)[1]));
    }

    /** Runs shard 0 on the calling thread and the others on the executor; rethrows the first failure. */
    private void runShards(List<int[]> ranges, ShardTask task) {
        if (ranges.size() == 1) {
            task.run(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(ranges.size() - 1);
        for (int i = 1; i < ranges.size(); i++) {
            int shard = i;
            futures.add(executor.submit(() -> task.run(shard)));
        }
        RuntimeException failure = null;
        try {
            task.run(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a worker thread", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                            : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Parameters parameters() {
        checkOpen();
        lock.readLock().lock();
        try {
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
            params.copyFrom(parameters);
            loadAll();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.clear();
    }
}
