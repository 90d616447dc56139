package io.github.recurra.onnxruntime;

import io.github.recurra.onnx.OnnxFormat;

/**
 * When a pass of a network of forward RNN and GRU layers ({@link OnnxFormat#canUnroll}) runs its unrolled graph, and
 * when it is cut into shards that run at once on single-threaded sessions. {@link #MEASURED} is what the backend uses:
 * the batch sizes from which each choice was faster on the reference workload (the package documentation has the
 * figures). Whatever the routing, every pass computes the same to float32 rounding.
 *
 * @param gruUnrollFrom the smallest batch on which a network with a GRU layer runs unrolled (below, ONNX Runtime's GRU
 *                      kernel on the standard graph)
 * @param gruShardFrom  the smallest batch whose unrolled pass is cut into shards, for a network with a GRU layer
 * @param rnnShardFrom  the same for a network of RNN layers only (which run unrolled at every batch size)
 * @param shardRows     the fewest rows per shard
 */
record Routing(int gruUnrollFrom, int gruShardFrom, int rnnShardFrom, int shardRows) {
    /** The measured thresholds. */
    static final Routing MEASURED = new Routing(32, 32, 64, 16);
    /** Unrolled graphs wherever they apply, in shards from two rows: for running the kit on them (tests). */
    static final Routing EVERYWHERE = new Routing(1, 2, 2, 1);

    /**
     * @param n       rows in the pass
     * @param gru     whether the network has a GRU layer
     * @param threads the backend's intra-op threads (the most shards)
     * @return how many shards an unrolled pass over {@code n} rows is cut into (1: it runs whole)
     */
    int shards(int n, boolean gru, int threads) {
        return n >= (gru ? gruShardFrom : rnnShardFrom) ? Math.max(1, Math.min(threads, n / shardRows)) : 1;
    }
}
