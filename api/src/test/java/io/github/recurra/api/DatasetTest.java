package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatasetTest {

    static Dataset sequential(int n) {
        float[] x = new float[n * 2 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
        }
        return Dataset.of(x, y, 2, 3, 4);
    }

    @Test
    void emptyDatasetIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[0], new int[0], 2, 3, 4));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void nanInputIsRejectedWithItsPosition() {
        float[] x = new float[2 * 2 * 3];
        x[9] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(x, new int[] {0, 1}, 2, 3, 4));
        assertTrue(e.getMessage().contains("example 1") && e.getMessage().contains("step 1")
                && e.getMessage().contains("feature 0"), e.getMessage());
    }

    @Test
    void sizeMismatchAndBadLabelsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[11], new int[] {0, 1}, 2, 3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[12], new int[] {0, 4}, 2, 3, 4));
        assertTrue(e.getMessage().contains("label 4"), e.getMessage());
    }

    @Test
    void batchesSlicesAndSplits() {
        Dataset d = sequential(10);
        int n = 0;
        for (Batch b : d.batches(4)) {
            n += b.size();
            assertEquals(3, b.features());
        }
        assertEquals(10, n);
        List<Dataset> parts = d.splitLast(3);
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        assertEquals(7 % 4, parts.get(1).label(0));
        Batch b = d.batch(new int[] {3, 1});
        assertEquals(3 * 6f, b.inputs().get(0));
        assertArrayEquals(new int[] {3, 1}, b.labels());
    }

    @Test
    void shufflingIsSeeded() {
        Dataset d = sequential(50);
        int[] a = d.permutation(new SplittableRandom(1));
        int[] b = d.permutation(new SplittableRandom(1));
        int[] c = d.permutation(new SplittableRandom(2));
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void batchShapeIsChecked() {
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new Batch(Tensor.zeros(4, 3), null));
        assertTrue(rank.getMessage().contains("[batch, time, features]"), rank.getMessage());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> new Batch(Tensor.zeros(4, 2, 3), new int[3]));
        assertTrue(labels.getMessage().contains("4 sequences of 2 steps but 3 labels"), labels.getMessage());
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> new Batch(Tensor.zeros(2, 3, 1), null, null, new int[] {3, 4}));
        assertTrue(len.getMessage().contains("length 4 of example 1 is outside [1, 3]"), len.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Batch(Tensor.zeros(2, 3, 1), null, null, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new Batch(Tensor.zeros(2, 3, 1), null, Tensor.zeros(3, 1), null));
    }
}
