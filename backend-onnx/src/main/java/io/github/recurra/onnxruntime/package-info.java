/**
 * The ONNX Runtime backend ({@code onnx}): inference for every network the API builds, on ONNX Runtime 1.28's CPU
 * execution provider. Public entry points are {@link io.github.recurra.onnxruntime.OnnxBackendModule} (Guice, with its
 * {@link io.github.recurra.onnxruntime.OnnxBackendModule.Options}) and
 * {@link io.github.recurra.onnxruntime.OnnxBackendProvider} (discovery by the name {@code onnx}, options from the
 * {@code recurra.onnx.*} system properties); everything else is internal. Depends on the API module, the ONNX format
 * module (whose exporter writes the standard graph), ONNX Runtime and Guice; on no other backend, and not on the
 * protobuf classes (the unrolled graphs are written on protobuf's wire format by hand).
 *
 * <p><b>Capabilities:</b> everything but {@code TRAINING}. Dropout is a training-time operation, so a network with
 * dropout compiles and infers ({@code LAYER_DROPOUT} is claimed); a training-mode forward pass with dropout, and
 * losses and gradients, fail with {@link io.github.recurra.api.spi.UnsupportedCapabilityException}. Parameters can be
 * replaced ({@code setParameters} rebuilds the sessions), so models can be refreshed from a training backend.
 *
 * <p><b>How a network runs.</b> {@code compile} exports the network in memory ({@code OnnxFormat.toBytes}: one
 * {@code LSTM}/{@code GRU}/{@code RNN} operator per layer) and the model keeps one session per graph variant, made on
 * first use. For networks of forward RNN and GRU layers it runs its own graph instead, unrolled over the sequence
 * length ({@code OnnxFormat.toUnrolledBytes}), because ONNX Runtime's {@code RNN} and {@code GRU} kernels are slow on batches; and
 * it cuts large GRU batches into shards that run at once on single-threaded sessions. Every choice computes the same
 * as the standard graph to float32 rounding (the kit passes with each, and the tests compare them). Measured on the
 * reference workload (B=128, T=28, I=28, H=128, 10 classes; 2 cores of an AMD EPYC Zen 3, AVX2 without AVX-512, two
 * intra-op threads, medians; the machine is shared, figures vary by ±30 % between runs, so compare within one run):
 * <table>
 *   <caption>Inference, ms per batch</caption>
 *   <tr><th>cell</th><th>standard graph B=128</th><th>route used, B=128</th><th>PyTorch 1.13</th><th>B=1 (standard)
 *       </th><th>PyTorch</th></tr>
 *   <tr><td>LSTM</td><td>4.4</td><td>standard (ONNX Runtime's LSTM kernel is the fastest)</td><td>11.3</td>
 *       <td>0.12</td><td>1.6</td></tr>
 *   <tr><td>GRU</td><td>6.0</td><td>4.8 (unrolled, 2 single-threaded shards)</td><td>7.6</td><td>0.13</td>
 *       <td>1.06</td></tr>
 *   <tr><td>RNN</td><td>7.3</td><td>1.4 (unrolled)</td><td>2.7</td><td>0.07 (unrolled)</td><td>0.36</td></tr>
 * </table>
 * Measured and not kept: unrolled LSTM graphs (about twice the standard graph's time with two threads, 1.5 times in
 * shards), GRU batches below 8 unrolled (the standard kernel is faster), RNN batches in shards (slower than two
 * intra-op threads), and per-step slices by {@code Split} instead of {@code Gather} (no difference). Per-call overhead
 * outside {@code OrtSession.run}: about 15 µs at batch 1 and 60 to 130 µs at batch 128 (input copied into a pooled
 * direct buffer, five tensors created over it, the results copied out); ONNX Runtime writes the outputs straight into
 * that buffer (pinned outputs), which also saves it allocating them.
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
