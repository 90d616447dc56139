package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.conformance.BadInputConformance;
import io.github.recurra.conformance.CapabilityConformance;
import io.github.recurra.conformance.CellForwardConformance;
import io.github.recurra.conformance.ConcurrencyConformance;
import io.github.recurra.conformance.GradientConformance;
import io.github.recurra.conformance.OptimizerConformance;
import io.github.recurra.conformance.PersistenceConformance;
import io.github.recurra.conformance.SequenceConformance;
import io.github.recurra.conformance.TrainingConformance;
import io.github.recurra.cpu.BrokenBackend.Mistake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The kit catches real mistakes: areas of the conformance kit, run (through the JUnit Platform launcher) against
 * {@link BrokenBackend}s and a bias-correction-free Adam, fail where they should, and an honest backend that claims
 * less passes by refusing what it does not claim. Each run also writes its report, e.g.
 * {@code target/conformance/broken-swapped-lstm-gates.md}.
 */
class KitCatchesMistakesTest {

    // the kit's areas bound to each broken backend; static nested classes, so surefire does not run them by itself
    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class SwappedGatesForward extends CellForwardConformance {
        SwappedGatesForward() {
            super(Mistake.SWAPPED_LSTM_GATES.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class SwappedGatesGradients extends GradientConformance {
        SwappedGatesGradients() {
            super(Mistake.SWAPPED_LSTM_GATES.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class IgnoredLengthsSequences extends SequenceConformance {
        IgnoredLengthsSequences() {
            super(Mistake.IGNORED_LENGTHS.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class HalfGradientGradients extends GradientConformance {
        HalfGradientGradients() {
            super(Mistake.HALF_RECURRENT_GRADIENT.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class SummedGradientsTraining extends TrainingConformance {
        SummedGradientsTraining() {
            super(Mistake.SUMMED_GRADIENTS.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class OneWayLayoutTraining extends TrainingConformance {
        OneWayLayoutTraining() {
            super(Mistake.ONE_WAY_LAYOUT.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class OneWayLayoutPersistence extends PersistenceConformance {
        OneWayLayoutPersistence() {
            super(Mistake.ONE_WAY_LAYOUT.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class LenientInputBadInput extends BadInputConformance {
        LenientInputBadInput() {
            super(Mistake.LENIENT_INPUT.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class MissingPeepholesCapabilities extends CapabilityConformance {
        MissingPeepholesCapabilities() {
            super(Mistake.CLAIMED_BUT_MISSING_PEEPHOLES.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class MissingPeepholesForward extends CellForwardConformance {
        MissingPeepholesForward() {
            super(Mistake.CLAIMED_BUT_MISSING_PEEPHOLES.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class IgnoredFactorOptimizers extends OptimizerConformance {
        IgnoredFactorOptimizers() {
            super(Mistake.IGNORED_LEARNING_RATE_FACTOR.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class HonestCapabilities extends CapabilityConformance {
        HonestCapabilities() {
            super(Mistake.HONEST_INFERENCE_ONLY.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class HonestGradients extends GradientConformance {
        HonestGradients() {
            super(Mistake.HONEST_INFERENCE_ONLY.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class HonestForward extends CellForwardConformance {
        HonestForward() {
            super(Mistake.HONEST_INFERENCE_ONLY.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class UnclaimedWrongGradients extends GradientConformance {
        UnclaimedWrongGradients() {
            super(Mistake.UNCLAIMED_AND_WRONG.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class UnclearRefusalGradients extends GradientConformance {
        UnclearRefusalGradients() {
            super(Mistake.UNCLAIMED_AND_UNCLEAR.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class SharedBufferConcurrency extends ConcurrencyConformance {
        SharedBufferConcurrency() {
            super(Mistake.SHARED_OUTPUT_BUFFER.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class CloseUnderCallsConcurrency extends ConcurrencyConformance {
        CloseUnderCallsConcurrency() {
            super(Mistake.CLOSE_UNDER_CALLS.underTest());
        }
    }

    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class TornUpdatesConcurrency extends ConcurrencyConformance {
        TornUpdatesConcurrency() {
            super(Mistake.TORN_UPDATES.underTest());
        }
    }

    /**
     * Keeps the broken kit classes from running on their own (a name filter or an IDE can select nested classes): they
     * run only inside {@link #run}.
     */
    static final class OnlyWhenRunByThisTest implements ExecutionCondition {
        static volatile boolean running;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return running ? ConditionEvaluationResult.enabled("run by KitCatchesMistakesTest")
                    : ConditionEvaluationResult.disabled("a deliberately broken backend; KitCatchesMistakesTest runs it");
        }
    }

    /** A backend whose training session runs Adam natively and forgets the bias correction. */
    @ExtendWith(OnlyWhenRunByThisTest.class)
    static class AdamWithoutBiasCorrection extends OptimizerConformance {
        AdamWithoutBiasCorrection() {
            super(Mistake.ADAM_WITHOUT_BIAS_CORRECTION.underTest());
        }
    }

    private static Path reportDir() {
        return Paths.get(System.getProperty("recurra.conformance.reportDir", "target/conformance"));
    }

    /** Runs one kit class against a broken backend, after removing that backend's earlier report. */
    private static TestExecutionSummary run(Mistake m, Class<?> kitClass) throws IOException {
        Path classes = reportDir().resolve(".classes").resolve(m.backendName());
        if (Files.isDirectory(classes)) {
            try (Stream<Path> files = Files.list(classes)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
        Files.deleteIfExists(reportDir().resolve(m.backendName() + ".md"));
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        OnlyWhenRunByThisTest.running = true;
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClass(kitClass)).build(), listener);
        } finally {
            OnlyWhenRunByThisTest.running = false;
        }
        return listener.getSummary();
    }

    private static String report(Mistake m) throws IOException {
        return Files.readString(reportDir().resolve(m.backendName() + ".md"));
    }

    private static void assertFails(TestExecutionSummary s, String what) {
        assertTrue(s.getTestsFailedCount() > 0, what + ": the kit should fail but " + s.getTestsSucceededCount()
                + " tests passed and none failed");
    }

    @Test
    void swappedGatesFailTheGoldensThoughFiniteDifferencesAgree() throws IOException {
        TestExecutionSummary forward = run(Mistake.SWAPPED_LSTM_GATES, SwappedGatesForward.class);
        assertFails(forward, "swapped LSTM gates, cell forward");
        assertTrue(report(Mistake.SWAPPED_LSTM_GATES).contains("| cell forward | **FAIL** |"),
                "the report shows the failing area");
        TestExecutionSummary gradients = run(Mistake.SWAPPED_LSTM_GATES, SwappedGatesGradients.class);
        assertFails(gradients, "swapped LSTM gates, gradients");
        // the mistake is self-consistent: only the golden (PyTorch) and cross-backend checks see it, not finite
        // differences, which is why the kit needs values from outside the backend
        assertTrue(gradients.getFailures().stream().noneMatch(f -> String.valueOf(f.getException().getMessage())
                .contains("finite differences")), "finite differences agree with a self-consistent mistake");
        assertTrue(gradients.getFailures().stream().noneMatch(f -> f.getTestIdentifier().getDisplayName()
                .startsWith("gru")), "GRU cases do not involve the swapped gates");
        assertTrue(report(Mistake.SWAPPED_LSTM_GATES).contains("| gradients | **FAIL** |"));
    }

    @Test
    void sharedOutputsACloseThatDoesNotWaitAndTornUpdatesFailTheConcurrencyArea() throws IOException {
        TestExecutionSummary shared = run(Mistake.SHARED_OUTPUT_BUFFER, SharedBufferConcurrency.class);
        assertFails(shared, "one logits array for every call");
        assertTrue(report(Mistake.SHARED_OUTPUT_BUFFER).contains("| concurrency | **FAIL** |"));
        TestExecutionSummary close = run(Mistake.CLOSE_UNDER_CALLS, CloseUnderCallsConcurrency.class);
        assertEquals(1, close.getTestsFailedCount(), "only the close test sees a close that does not wait");
        assertTrue(close.getFailures().get(0).getTestIdentifier().getDisplayName().startsWith("closing"));
        TestExecutionSummary torn = run(Mistake.TORN_UPDATES, TornUpdatesConcurrency.class);
        assertEquals(1, torn.getTestsFailedCount(), "only the training race sees updates that land in two writes");
        assertTrue(torn.getFailures().get(0).getTestIdentifier().getDisplayName().startsWith("training"));
    }

    @Test
    void ignoredLengthsFailTheSequenceSemantics() throws IOException {
        assertFails(run(Mistake.IGNORED_LENGTHS, IgnoredLengthsSequences.class), "ignored lengths");
        assertTrue(report(Mistake.IGNORED_LENGTHS).contains("| sequence semantics | **FAIL** |"));
    }

    @Test
    void aWrongGradientFailsTheGradientChecks() throws IOException {
        TestExecutionSummary s = run(Mistake.HALF_RECURRENT_GRADIENT, HalfGradientGradients.class);
        assertFails(s, "half the recurrent gradient");
        long finiteDifferences = s.getFailures().stream().filter(f -> f.getException().getMessage() != null
                && f.getException().getMessage().contains("finite differences")).count();
        assertTrue(finiteDifferences > 10, "finite differences catch it on their own: " + finiteDifferences);
    }

    @Test
    void gradientsOfTheWrongScaleFailTheTrainingArea() throws IOException {
        TestExecutionSummary s = run(Mistake.SUMMED_GRADIENTS, SummedGradientsTraining.class);
        assertFails(s, "gradients summed over the batch");
        long curves = s.getFailures().stream().filter(f -> String.valueOf(f.getException().getMessage())
                .contains("against backend 'cpu'")).count();
        assertTrue(curves >= 4, "the SGD loss curves catch it: " + curves + " failed");
        assertTrue(report(Mistake.SUMMED_GRADIENTS).contains("| training | **FAIL** |"));
    }

    @Test
    void aLayoutConvertedOneWayFailsTrainingAndPersistence() throws IOException {
        TestExecutionSummary training = run(Mistake.ONE_WAY_LAYOUT, OneWayLayoutTraining.class);
        assertTrue(training.getFailures().stream().anyMatch(f -> String.valueOf(f.getException().getMessage())
                .contains("read back from the backend differs")), "identical initial parameters catch it");
        assertFails(run(Mistake.ONE_WAY_LAYOUT, OneWayLayoutPersistence.class), "a layout converted one way, persistence");
        assertTrue(report(Mistake.ONE_WAY_LAYOUT).contains("| persistence | **FAIL** |"));
    }

    @Test
    void aBackendThatAcceptsNonFiniteInputFailsTheBadInputArea() throws IOException {
        TestExecutionSummary s = run(Mistake.LENIENT_INPUT, LenientInputBadInput.class);
        assertEquals(3, s.getTestsFailedCount(), "the three non-finite input cases fail, the others pass");
        assertTrue(report(Mistake.LENIENT_INPUT).contains("| bad input | **FAIL** |"));
    }

    @Test
    void aClaimedCapabilityThatFailsIsAFailureNotASkip() throws IOException {
        TestExecutionSummary caps = run(Mistake.CLAIMED_BUT_MISSING_PEEPHOLES, MissingPeepholesCapabilities.class);
        assertEquals(1, caps.getTestsFailedCount(), "exactly the PEEPHOLES probe fails");
        assertEquals(0, caps.getTestsAbortedCount(), "nothing is skipped");
        TestExecutionSummary forward = run(Mistake.CLAIMED_BUT_MISSING_PEEPHOLES, MissingPeepholesForward.class);
        assertTrue(forward.getTestsFailedCount() >= 2, "every peephole golden fails");
    }

    @Test
    void whatABackendDoesNotClaimMustBeRefusedClearly() throws IOException {
        TestExecutionSummary caps = run(Mistake.HONEST_INFERENCE_ONLY, HonestCapabilities.class);
        assertEquals(0, caps.getTestsFailedCount(), "an honest backend passes the capability area");
        assertTrue(caps.getTestsSucceededCount() >= 13, "unclaimed capabilities are checked to fail clearly");
        TestExecutionSummary gradients = run(Mistake.HONEST_INFERENCE_ONLY, HonestGradients.class);
        assertEquals(0, gradients.getTestsFailedCount(), "every gradient case ends with the refusal of TRAINING");
        assertEquals(0, gradients.getTestsAbortedCount(), "nothing is skipped");
        assertTrue(gradients.getTestsSucceededCount() > 20, "every gradient case checks the refusal: "
                + gradients.getTestsSucceededCount());
        String report = report(Mistake.HONEST_INFERENCE_ONLY);
        assertTrue(report.contains("| gradients | not claimed (refusals checked) | 0 | "
                + gradients.getTestsSucceededCount() + " | 0 | 0 |"), report);
        assertTrue(report.matches("(?s).*- \\d+ × TRAINING\n.*"), report);
        TestExecutionSummary forward = run(Mistake.HONEST_INFERENCE_ONLY, HonestForward.class);
        assertEquals(0, forward.getTestsFailedCount());
        assertEquals(0, forward.getTestsAbortedCount(), "cases with clip, peepholes, lengths or initial states "
                + "check the refusal instead of being skipped");
        report = report(Mistake.HONEST_INFERENCE_ONLY);
        for (String c : new String[] {"CELL_CLIP", "PEEPHOLES", "SEQUENCE_LENGTHS", "INITIAL_STATES"}) {
            assertTrue(report.matches("(?s).*- \\d+ × " + c + "\n.*"), c + " refusals are counted: " + report);
        }
        assertTrue(report.contains("| cell forward | pass |"), report);
    }

    @Test
    void wrongResultsForWhatABackendDoesNotClaimFailTheKit() throws IOException {
        TestExecutionSummary wrong = run(Mistake.UNCLAIMED_AND_WRONG, UnclaimedWrongGradients.class);
        // networks it does not claim are still refused at compile, and cases with lengths still end with a proper
        // refusal of SEQUENCE_LENGTHS; the other cases reach the halved gradients and fail
        assertTrue(wrong.getTestsFailedCount() > 10, "the gradient cases fail: " + wrong.getTestsFailedCount());
        assertTrue(wrong.getFailures().stream().allMatch(f -> String.valueOf(f.getException().getMessage())
                .contains("does not claim [TRAINING], which this test uses, so it must either refuse")),
                "each says what was expected");
        TestExecutionSummary unclear = run(Mistake.UNCLAIMED_AND_UNCLEAR, UnclearRefusalGradients.class);
        assertTrue(unclear.getTestsFailedCount() > 10, "the cases that reach the gradients fail: "
                + unclear.getTestsFailedCount());
        assertTrue(unclear.getFailures().stream().allMatch(f -> String.valueOf(f.getException().getMessage())
                .contains("the test ended with java.lang.UnsupportedOperationException: no gradients here")),
                "each names the unclear refusal");
    }

    @Test
    void adamWithoutBiasCorrectionFailsTheOptimizerGoldens() throws IOException {
        TestExecutionSummary s = run(Mistake.ADAM_WITHOUT_BIAS_CORRECTION, AdamWithoutBiasCorrection.class);
        assertTrue(report(Mistake.ADAM_WITHOUT_BIAS_CORRECTION).contains("| optimizers | **FAIL** |"));
        assertFails(s, "Adam without bias correction");
        assertTrue(s.getFailures().stream().allMatch(f -> f.getTestIdentifier().getDisplayName().contains("adam")),
                "only the Adam cases fail");
    }

    @Test
    void aSessionThatIgnoresTheLearningRateFactorFailsTheFactorCases() throws IOException {
        TestExecutionSummary s = run(Mistake.IGNORED_LEARNING_RATE_FACTOR, IgnoredFactorOptimizers.class);
        assertFails(s, "learning-rate factor ignored");
        assertEquals(5, s.getTestsFailedCount(), "each of the five factor cases");
        assertTrue(s.getFailures().stream().allMatch(f -> f.getTestIdentifier().getUniqueId()
                .contains("learningRateFactorScalesTheScheduledRate")), "only the factor cases fail");
    }
}
