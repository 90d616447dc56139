/**
 * The conformance kit: abstract JUnit 5 test classes that prove a backend computes what every Recurra backend
 * computes. A backend module implements {@link io.github.recurra.conformance.BackendUnderTest} once and subclasses each
 * area with it: {@link io.github.recurra.conformance.CellForwardConformance},
 * {@link io.github.recurra.conformance.SequenceConformance}, {@link io.github.recurra.conformance.GradientConformance},
 * {@link io.github.recurra.conformance.OptimizerConformance}, {@link io.github.recurra.conformance.TrainingConformance},
 * {@link io.github.recurra.conformance.PersistenceConformance},
 * {@link io.github.recurra.conformance.CapabilityConformance} and
 * {@link io.github.recurra.conformance.BadInputConformance}. Tolerances are in one place,
 * {@link io.github.recurra.conformance.Tolerances}; results go to {@code target/conformance/<backend>.md}
 * ({@link io.github.recurra.conformance.ConformanceReport}).
 *
 * <p>Expected values come from implementations Recurra did not write (ONNX's numpy reference, PyTorch, ONNX Runtime),
 * shipped as golden-vector resources under {@code io/github/recurra/conformance/golden/} and read by
 * {@link io.github.recurra.conformance.Golden}; their generators are in {@code tools/golden/} of the repository. See
 * {@code docs/writing-a-backend.md}.
 */
package io.github.recurra.conformance;
