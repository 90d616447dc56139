/**
 * The TensorFlow backend ({@code tensorflow}): training and inference for every network the API builds, on TensorFlow
 * Java 1.1.0 (TensorFlow 2.18.0's native library) in graph mode. Public entry points are
 * {@link io.github.recurra.tensorflow.TensorFlowBackendModule} (Guice, with its
 * {@link io.github.recurra.tensorflow.TensorFlowBackendModule.Options}) and
 * {@link io.github.recurra.tensorflow.TensorFlowBackendProvider} (discovery by the name {@code tensorflow}, options from
 * the {@code recurra.tensorflow.*} system properties), and the SavedModel export:
 * {@link io.github.recurra.tensorflow.SavedModelExport} with its
 * {@link io.github.recurra.tensorflow.SavedModelExportOptions} and the
 * {@link io.github.recurra.tensorflow.SavedModelSignature} it writes (Recurra and JDK types only); everything else is
 * internal. Depends on the API module,
 * TensorFlow Java (and its protobuf classes, for {@code ConfigProto}) and Guice (in the module class only); on no
 * other backend.
 *
 * <p><b>Capabilities:</b> all of them, the same as the reference CPU backend, held to the same conformance kit.
 *
 * <p><b>How a network runs.</b> Each model owns one {@code Graph} and one {@code Session}. The parameters live in
 * {@code VariableV2} variables in the canonical layout ({@code Variables}); each shape class (time steps, lengths or
 * not, inference / training-mode forward / gradients) gets its own graph piece, built on first use and kept, with a
 * dynamic batch axis. The recurrence is unrolled statically over the time steps with primitive ops
 * ({@code Recurrence}): the input side of every step and direction is one {@code MatMul} over {@code [T·B, in]}, each
 * step adds one recurrent {@code MatMul}; gradients come from {@code Graph.addGradients} over those ops. TensorFlow's
 * fused {@code BlockLSTM}/{@code GRUBlockCell} are not used: they have no C++ gradients, clip the cell state instead of
 * the gate pre-activations, and know no coupled gate, lengths or reset-after GRU. Dropout masks come from
 * {@link io.github.recurra.api.model.Dropout} in Java and are fed, so training matches the CPU backend value for
 * value; the loss is computed in Java from the fetched logits ({@code Metrics.loss}), in double.
 *
 * <p><b>Environment.</b> TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} from the process environment when its library
 * loads, and in this build oneDNN is off unless it is {@code 1}; it makes the training step markedly faster, so the
 * launcher of an application should set {@code TF_ENABLE_ONEDNN_OPTS=1} (this module's tests run with it). A Java
 * program cannot set it for itself once running. The first load in a user account unpacks about 650 MB of natives
 * into {@code ~/.javacpp/cache} (a few seconds; later loads take under a second). TensorFlow's process-wide thread
 * pools are sized by the first session of the JVM.
 *
 * <p><b>Natives.</b> The build depends on {@code tensorflow-core-api} plus {@code tensorflow-core-native} with the
 * classifier {@code linux-x86_64}; the parent POM's {@code tensorflow-gpu} profile swaps it for {@code linux-x86_64-gpu}
 * (CUDA 12 and cuDNN 9 installed by the user; a project cannot depend on both classifiers). An application shipped to
 * several operating systems depends on {@code org.tensorflow:tensorflow-core-platform:1.1.0} instead (the API plus the
 * natives of four platforms, about 700 MB).
 *
 * <p><b>SavedModel export.</b> {@code SavedModelExport} builds a graph and a session of its own per export: the
 * variables ({@code Variables}) written from the given parameters, and the backend's own inference piece
 * ({@code NetworkGraph} with {@code GraphSources}: the mask computed from int32 lengths and zero states from the batch
 * size inside the graph, instead of fed placeholders), unrolled for a fixed number of steps ({@code ExportGraph}).
 * TensorFlow's {@code SavedModelBundle.exporter} writes it; only {@code VariableV2} variables are saved, which is what
 * {@code Variables} makes. The directory is written to a temporary sibling and renamed into place.
 *
 * <p><b>For an in-graph optimizer</b> (not written yet): {@code Variables} keeps the variables in canonical order, and
 * every training piece keeps its gradient outputs in the same order ({@code Piece.gradients()}); update ops would be
 * added next to them, fed the step's learning rate.
 */
package io.github.recurra.tensorflow;
