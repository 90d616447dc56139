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
 * not, inference / training-mode forward / gradients, route) gets its own graph piece, built on first use and kept.
 * Forward pieces have a dynamic batch axis; gradient pieces are built per batch size (all shapes static). The
 * recurrence is unrolled statically over the time steps with primitive ops ({@code Recurrence}): the input side of
 * every step and direction is one {@code MatMul} over {@code [T·B, in]}, each step adds one recurrent {@code MatMul}
 * with Rᵀ transposed once. Gradients come from {@code Graph.addGradients}, except R's: the steps read R through
 * {@code StopGradient}, the graph gradients are taken with respect to every step's product z(t) = h·Rᵀ, and dR is one
 * {@code MatMul} over all steps ({@code Products}) instead of T small ones and their sum. Dropout masks come from
 * {@link io.github.recurra.api.model.Dropout} in Java and are fed, so training matches the CPU backend value for
 * value; the loss is computed in Java from the fetched logits ({@code Metrics.loss}), in double.
 *
 * <p><b>Fused route.</b> Forward passes of LSTM layers whose semantics equal {@code BlockLSTMV2}'s (one direction, no
 * lengths, no clip, no coupled gate, default activations; peepholes allowed) may run as that one op
 * ({@code FusedLstm}), the parameters converted in the graph, when the route is forced
 * ({@link io.github.recurra.tensorflow.TensorFlowBackendModule.Route#FUSED}). {@code AUTO} runs unrolled: a bare
 * {@code BlockLSTMV2} graph was faster at batch 1 (0.40 against 1.0 ms), but through the model the fused forward was
 * not, and from batch 8 up the unrolled graph's oneDNN products were faster. Training always runs
 * unrolled: the op has no C++ gradient, and the prototypes' {@code BlockLSTMGradV2} (the grad op alone ~24 ms) and
 * hand-built backward were no faster. {@code GRUBlockCell} is not used (one step per op, reset-before only).
 *
 * <p><b>Training.</b> {@code Model.openTraining} returns a native session ({@code TfTrainingSession}): the optimizer's
 * slots are variables too, and every built-in optimizer's update, clipping and the all-or-nothing check
 * ({@code select(ok, candidate, old)} on every variable) run in the graph ({@code UpdateGraph}), rounding as the host
 * rules do (float64 where they compute in double). A step is one {@code Session.run} that fetches only the logits,
 * final states, the global norm and the applied flag. {@code Options.nativeTraining(false)} (or
 * {@code -Drecurra.tensorflow.nativeTraining=false}) gives the host session instead.
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
 */
package io.github.recurra.tensorflow;
