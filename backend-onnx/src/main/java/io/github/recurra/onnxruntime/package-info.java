/**
 * The ONNX Runtime backend ({@code onnx}): inference for every network the API builds, on ONNX Runtime 1.28's CPU
 * execution provider. Public entry points are {@link io.github.recurra.onnxruntime.OnnxBackendModule} (Guice, with its
 * {@link io.github.recurra.onnxruntime.OnnxBackendModule.Options}) and
 * {@link io.github.recurra.onnxruntime.OnnxBackendProvider} (discovery by the name {@code onnx}, options from the
 * {@code recurra.onnx.*} system properties); everything else is internal. Depends on the API module, the ONNX format
 * module (which writes both the standard graph and the unrolled one), ONNX Runtime and Guice; on no other backend, and
 * not on the protobuf classes.
 *
 * <p><b>Capabilities:</b> everything but {@code TRAINING}. Dropout is a training-time operation, so a network with
 * dropout compiles and infers ({@code LAYER_DROPOUT} is claimed); a training-mode forward pass with dropout, and
 * losses and gradients, fail with {@link io.github.recurra.api.spi.UnsupportedCapabilityException}. Parameters can be
 * replaced ({@code setParameters} rebuilds the sessions), so models can be refreshed from a training backend.
 *
 * <p><b>How a network runs.</b> {@code compile} exports the network in memory ({@code OnnxFormat.toBytes}: one
 * {@code LSTM}/{@code GRU}/{@code RNN} operator per layer) and the model keeps one session per graph variant, made on
 * first use. For networks of forward RNN and GRU layers it runs its own graph instead, unrolled over the sequence
 * length ({@code OnnxFormat.toUnrolledBytes}), because ONNX Runtime's {@code RNN} and {@code GRU} kernels are slow on
 * batches; and it cuts large unrolled batches into shards that run at once on single-threaded sessions ({@code Routing} has the
 * thresholds). Every choice computes the same as the standard graph to float32 rounding: the tests compare them, and
 * the kit runs twice, with the measured routing and with the unrolled graphs everywhere. Measured on the reference
 * workload (B=128, T=28, I=28, H=128, 10 classes; 2 cores of an AMD EPYC Zen 3, AVX2 without AVX-512, two intra-op
 * threads; medians of five bench runs, PyTorch 1.13 in the same runs; single runs move by up to a factor of two on
 * this shared machine, so compare within a run):
 * <table>
 *   <caption>Inference, ms per call</caption>
 *   <tr><th>cell</th><th>standard graph, B=128</th><th>what runs, B=128</th><th>PyTorch</th><th>B=1</th>
 *       <th>PyTorch</th></tr>
 *   <tr><td>LSTM</td><td>5.24</td><td>5.29 (standard)</td><td>9.52</td><td>0.136 (standard)</td><td>1.15</td></tr>
 *   <tr><td>GRU</td><td>7.14</td><td>4.85 (unrolled, 2 shards)</td><td>6.81</td><td>0.142 (standard)</td>
 *       <td>0.96</td></tr>
 *   <tr><td>RNN</td><td>7.49</td><td>1.52 (unrolled, 2 shards)</td><td>2.30</td><td>0.075 (unrolled)</td>
 *       <td>0.35</td></tr>
 * </table>
 * Measured and not kept: unrolled LSTM graphs (8 to 11 ms against the LSTM kernel's 5 to 8, on two threads or in
 * shards; measured in one JVM beside it, before the effect below was found, so only roughly), LSTM batches in shards
 * (no faster than the kernel's own two threads), unrolled GRU graphs below batch 32 (ONNX Runtime's GRU kernel is
 * faster there: 0.19 to 0.24 against 0.47 to 0.54 ms at batch 1), shards for RNN batches below 64 (slower at 16 and 32,
 * the same at 64), one fused recurrent Gemm per GRU step instead of two (no faster), and per-step slices by
 * {@code Split} instead of {@code Gather} (no difference). Comparisons must run in separate JVMs: another variant's
 * sessions in the same process keep their threads spinning for a while after each run and slow whatever runs next.
 * Per-call overhead outside {@code OrtSession.run}: about 15 µs at batch 1 and 55 to 110 µs at batch 128 (the input
 * copied into a pooled direct buffer, five tensors created over it, the results copied out); ONNX Runtime writes the
 * outputs straight into that buffer (pinned outputs), which saves it allocating them (the run itself is 15 to 60 µs
 * faster than with outputs it allocates) and the copy out of its own memory.
 *
 * <p><b>Threads and memory.</b> Each model owns its sessions; each session has its own intra-op thread pool
 * ({@code intraOpThreads − 1} threads) and inter-op pool, which end when the session closes. Sharded passes use the
 * backend's worker threads (daemons named {@code recurra-onnx-*}), made on first use and ended by
 * {@code Backend.close()}. Passes may run concurrently on one model; replacing its parameters or closing it waits for
 * the passes in flight, so a session is never closed under a running pass. Inputs and outputs of a pass live in one
 * direct buffer borrowed from the model's pool; every tensor and result is closed after the pass.
 *
 * <p><b>Closing.</b> {@code Model.close()} frees the model's sessions and their native memory. {@code Backend.close()}
 * closes every model still open (after their passes in flight), ends the worker threads, and makes {@code compile} and
 * every call on its models fail with {@link java.lang.IllegalStateException} saying the backend was closed. It does
 * not release ONNX Runtime's {@code OrtEnvironment} or native library: the Java binding keeps them for the life of the
 * JVM and shares them with every other user in it (its {@code close()} does nothing), and it leaves an empty
 * {@code /tmp/onnxruntime-java*} folder behind.
 *
 * <p><b>Input.</b> Every input is checked with {@link io.github.recurra.api.spi.InputChecks} (and lengths once more,
 * since a batch's arrays can change after it was built) before anything reaches native code; so are the sizes of a
 * pass (at most 2 GiB of inputs and outputs per pass).
 */
package io.github.recurra.onnxruntime;
