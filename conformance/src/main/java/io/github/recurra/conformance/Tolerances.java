package io.github.recurra.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tolerance the kit uses, in one place. {@link #standard()} holds the values every backend in this repository
 * meets; {@code with...} methods return a modified copy for a backend that has a stated reason to differ.
 *
 * <p>Why these values (float32 everywhere):
 * <ul>
 *   <li>{@code forward} 2e-6 + 1e-5·|e|: outputs of a few recurrent steps against a float64 (ONNX numpy, PyTorch
 *       autograd) or float32 (PyTorch, ONNX Runtime) reference. Values are O(1); a float32 step rounds at about
 *       6e-8, and a handful of steps with different summation orders stay well below 2e-6. A swapped gate or a wrong
 *       activation changes outputs by 1e-2 or more.</li>
 *   <li>{@code loss} 1e-7 + 1e-6·|e| and {@code gradient} 1e-6 + 1e-4·|e|: against PyTorch autograd in float64.
 *       Gradients sum over batch and time, so they carry more rounding than outputs.</li>
 *   <li>{@code finiteDifference} 2e-4 + 1e-2·|numeric| with step {@code finiteDifferenceStep} 4e-3: a central
 *       difference of a float32 loss has about 1e-5 rounding error plus O(ε²) truncation; a missing term changes a
 *       gradient by several percent.</li>
 *   <li>{@code crossBackend} 1e-5 + 1e-4·|e| (outputs, losses) and {@code crossBackendGradient} 1e-5 + 1e-3·|e|:
 *       two float32 implementations with different kernels.</li>
 *   <li>{@code lossCurve} 2e-3 + 2e-3·|e|: 50 SGD steps on two backends; rounding differences grow through the
 *       updates but stay far below what a gradient of the wrong size does (half a gradient moves the curve by
 *       several percent within a few steps).</li>
 *   <li>{@code streaming} 1e-6 absolute: the same backend fed one sequence in pieces.</li>
 *   <li>{@code optimizerUlps} 4: an update combines a few float32 roundings at the magnitude of its operands.</li>
 * </ul>
 *
 * @param forward              outputs and final states against golden vectors
 * @param loss                 loss values against golden vectors
 * @param gradient             gradients and logits against golden vectors
 * @param finiteDifference     analytic against numeric gradients
 * @param finiteDifferenceStep the step ε of the central differences
 * @param crossBackend         outputs and losses against the reference backend
 * @param crossBackendGradient gradients against the reference backend
 * @param lossCurve            each step's training loss against the reference backend's
 * @param streaming            step-by-step against whole-sequence outputs on the same backend
 * @param optimizerUlps        optimizer updates against PyTorch, in units in the last place
 */
public record Tolerances(Tolerance forward, Tolerance loss, Tolerance gradient, Tolerance finiteDifference,
        double finiteDifferenceStep, Tolerance crossBackend, Tolerance crossBackendGradient, Tolerance lossCurve,
        Tolerance streaming, int optimizerUlps) {

    private static final Tolerances STANDARD = new Tolerances(new Tolerance(2e-6, 1e-5), new Tolerance(1e-7, 1e-6),
            new Tolerance(1e-6, 1e-4), new Tolerance(2e-4, 1e-2), 4e-3, new Tolerance(1e-5, 1e-4),
            new Tolerance(1e-5, 1e-3), new Tolerance(2e-3, 2e-3), new Tolerance(1e-6, 0), 4);

    /**
     *
     * @param forward              outputs and final states against golden vectors
     * @param loss                 loss values against golden vectors
     * @param gradient             gradients and logits against golden vectors
     * @param finiteDifference     analytic against numeric gradients
     * @param finiteDifferenceStep the step ε of the central differences
     * @param crossBackend         outputs and losses against the reference backend
     * @param crossBackendGradient gradients against the reference backend
     * @param lossCurve            each step's training loss against the reference backend's
     * @param streaming            step-by-step against whole-sequence outputs on the same backend
     * @param optimizerUlps        optimizer updates against PyTorch, in units in the last place
     * @throws IllegalArgumentException if the step is not positive or the ulps negative
     */
    public Tolerances {
        if (!(finiteDifferenceStep > 0) || optimizerUlps < 0) {
            throw new IllegalArgumentException("the finite-difference step must be positive and the ulps at least 0 "
                    + "but were " + finiteDifferenceStep + " and " + optimizerUlps);
        }
    }

    /** @return the tolerances every backend in this repository meets */
    public static Tolerances standard() {
        return STANDARD;
    }

    /**
     * @param t the new forward tolerance
     * @return a copy with it
     */
    public Tolerances withForward(Tolerance t) {
        return new Tolerances(t, loss, gradient, finiteDifference, finiteDifferenceStep, crossBackend,
                crossBackendGradient, lossCurve, streaming, optimizerUlps);
    }

    /**
     * @param t the new gradient tolerance
     * @return a copy with it
     */
    public Tolerances withGradient(Tolerance t) {
        return new Tolerances(forward, loss, t, finiteDifference, finiteDifferenceStep, crossBackend,
                crossBackendGradient, lossCurve, streaming, optimizerUlps);
    }

    /**
     * @param outputs   the new tolerance for outputs and losses
     * @param gradients the new tolerance for gradients
     * @return a copy with them
     */
    public Tolerances withCrossBackend(Tolerance outputs, Tolerance gradients) {
        return new Tolerances(forward, loss, gradient, finiteDifference, finiteDifferenceStep, outputs, gradients,
                lossCurve, streaming, optimizerUlps);
    }

    /**
     * @param t the new loss-curve tolerance
     * @return a copy with it
     */
    public Tolerances withLossCurve(Tolerance t) {
        return new Tolerances(forward, loss, gradient, finiteDifference, finiteDifferenceStep, crossBackend,
                crossBackendGradient, t, streaming, optimizerUlps);
    }

    /** @return each tolerance by name, in declaration order, as text */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("forward", forward.toString());
        m.put("loss", loss.toString());
        m.put("gradient", gradient.toString());
        m.put("finiteDifference", finiteDifference + " (step " + finiteDifferenceStep + ")");
        m.put("crossBackend", crossBackend.toString());
        m.put("crossBackendGradient", crossBackendGradient.toString());
        m.put("lossCurve", lossCurve.toString());
        m.put("streaming", streaming.toString());
        m.put("optimizerUlps", Integer.toString(optimizerUlps));
        return m;
    }
}
