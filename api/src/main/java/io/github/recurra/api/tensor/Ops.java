package io.github.recurra.api.tensor;

/**
 * Small numeric helpers shared by the training loop and the backends: row-wise softmax, one row's cross-entropy
 * and argmax over logits {@code [rows, classes]}. Sums run in double.
 */
public final class Ops {

    private Ops() {
    }

    /**
     * Row-wise softmax, p = exp(x − max x) / Σ exp(x − max x).
     *
     * @param logits  {@code rows × cols} values
     * @param rows    rows
     * @param cols    classes
     * @param out     written with the probabilities (may be {@code logits} itself)
     */
    public static void softmaxRows(float[] logits, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, logits[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(logits[o + c] - max);
                out[o + c] = (float) e;
                sum += e;
            }
            for (int c = 0; c < cols; c++) {
                out[o + c] = (float) (out[o + c] / sum);
            }
        }
    }

    /**
     * Softmax cross-entropy of one row, −log softmax(x)[label] = logsumexp(x) − x[label], and optionally its gradient.
     *
     * @param logits the values
     * @param offset where the row starts
     * @param cols   classes
     * @param label  the true class
     * @param grad   if not null, receives (softmax(x) − onehot(label)) · scale at the same offset
     * @param scale  factor of the gradient
     * @return the row's loss
     */
    public static double crossEntropy(float[] logits, int offset, int cols, int label, float[] grad, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        for (int c = 0; c < cols; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        if (grad != null) {
            for (int c = 0; c < cols; c++) {
                double p = Math.exp(logits[offset + c] - max) / sum;
                grad[offset + c] = (float) ((p - (c == label ? 1 : 0)) * scale);
            }
        }
        return Math.log(sum) + max - logits[offset + label];
    }

    /**
     * @param values {@code rows × cols} values
     * @param row    the row
     * @param cols   columns
     * @return the column of the largest value in the row (the first, on ties)
     */
    public static int argmaxRow(float[] values, int row, int cols) {
        int o = row * cols;
        int best = 0;
        for (int c = 1; c < cols; c++) {
            if (values[o + c] > values[o + best]) {
                best = c;
            }
        }
        return best;
    }
}
