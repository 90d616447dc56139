package io.github.recurra.onnx;

import io.github.recurra.api.cell.Activation;

/** Which activation functions of ONNX's recurrent operators take {@code activation_alpha} / {@code _beta}. */
final class Activations {
    private Activations() {
    }

    static boolean takesAlpha(Activation.Kind k) {
        switch (k) {
            case AFFINE: case LEAKY_RELU: case THRESHOLDED_RELU: case SCALED_TANH: case HARD_SIGMOID: case ELU:
                return true;
            default:
                return false;
        }
    }

    static boolean takesBeta(Activation.Kind k) {
        switch (k) {
            case AFFINE: case SCALED_TANH: case HARD_SIGMOID:
                return true;
            default:
                return false;
        }
    }
}
