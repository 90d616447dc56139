package io.github.recurra.examples;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Metrics;
import java.util.Locale;

/**
 * The agreement of two models of the same classifier over a dataset: each one's accuracy and the largest absolute
 * difference between their logits, over every logit of every example (per-step heads included, lengths honoured).
 * The demo uses it to show that an exported ONNX file, read back and run on another backend, computes what the
 * trained model computes.
 *
 * @param examples          examples compared
 * @param referenceBackend  the backend of the reference model
 * @param referenceAccuracy the reference model's accuracy
 * @param candidateBackend  the backend of the other model
 * @param candidateAccuracy the other model's accuracy
 * @param largestDifference the largest {@code |reference - candidate|} over all logits; NaN if either model gave a NaN
 */
record OnnxCheck(int examples, String referenceBackend, double referenceAccuracy, String candidateBackend,
        double candidateAccuracy, double largestDifference) {

    /**
     * The largest logit difference {@link #requireAgreement} accepts. The two models compute the same function in
     * float32; different backends may order sums differently (about 1e-6 here), but an export mistake (a swapped gate,
     * a missing bias) moves logits by far more than this.
     */
    static final double TOLERANCE = 1e-3;

    /**
     * Runs both models over the dataset, batch by batch, from zero initial states.
     *
     * @param reference the trained model
     * @param candidate the model compiled from the exported file
     * @param data      labelled examples (one class per example, or per step for a per-step head)
     * @param batchSize examples per forward pass
     * @return the comparison
     * @throws IllegalStateException if the two models' logits have different shapes, or the reference has no
     *                               classifier head
     */
    static OnnxCheck compare(Model reference, Model candidate, Dataset data, int batchSize) {
        Head head = reference.network().requireHead();
        if (head.loss() != Head.Loss.SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalStateException("the check compares classifiers, but the head is " + head);
        }
        long[] rightRef = new long[2];
        long[] rightCand = new long[2];
        double largest = 0;
        for (Batch b : data.batches(batchSize)) {
            Tensor r = reference.forward(b, null).logits();
            Tensor c = candidate.forward(b, null).logits();
            if (c == null || !r.sameShape(c)) {
                throw new IllegalStateException("the model read back from the ONNX file gives logits of shape "
                        + (c == null ? "none (no head)" : c.shapeString()) + " but the trained model gives "
                        + r.shapeString() + "; the export or the import is wrong");
            }
            for (int i = 0; i < r.size(); i++) {
                double d = Math.abs((double) r.get(i) - c.get(i));
                largest = Math.max(largest, d);
            }
            add(rightRef, Metrics.correct(head, r, b));
            add(rightCand, Metrics.correct(head, c, b));
        }
        return new OnnxCheck(data.size(), reference.backend(), rightRef[0] / (double) rightRef[1],
                candidate.backend(), rightCand[0] / (double) rightCand[1], largest); // Math.max keeps a NaN
    }

    private static void add(long[] sum, long[] counts) {
        sum[0] += counts[0];
        sum[1] += counts[1];
    }

    /**
     * @return the check's line, for example {@code ONNX check: accuracy cpu 0.9583, onnx 0.9583, largest logit
     *     difference 2.4e-7 (10000 images)}
     */
    String line() {
        return String.format(Locale.ROOT, "ONNX check: accuracy %s %.4f, %s %.4f, largest logit difference %s (%d "
                        + "images)", referenceBackend, referenceAccuracy, candidateBackend, candidateAccuracy,
                Cli.sci(largestDifference), examples);
    }

    /**
     * @throws IllegalStateException if the largest difference is above {@link #TOLERANCE} or NaN, saying so
     */
    void requireAgreement() {
        if (!(largestDifference <= TOLERANCE)) {
            throw new IllegalStateException("the ONNX file read back and run on backend '" + candidateBackend
                    + "' gives logits up to " + Cli.sci(largestDifference) + " away from the trained model's on '"
                    + referenceBackend + "', more than the " + Cli.sci(TOLERANCE) + " allowed: the export, the import "
                    + "or that backend is wrong (the file is kept for inspection)");
        }
    }
}
