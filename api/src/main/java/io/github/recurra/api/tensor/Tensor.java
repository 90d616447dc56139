package io.github.recurra.api.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A float32 tensor: a shape and its elements in row-major (C) order.
 *
 * <p>A tensor owns its array. {@link #data()} returns that array itself, so that numeric code can read and write it
 * without copying; callers that hand a tensor to someone else and keep using it should {@link #copy()} it first.
 * The shape never changes. Not thread-safe for concurrent writes.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions, each at least 1
     * @return a new tensor
     * @throws IllegalArgumentException if a dimension is below 1 or the element count overflows an int
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(s, new float[checkedSize(s)]);
    }

    /**
     * A tensor over the given array, which it takes ownership of (no copy).
     *
     * @param data  the elements in row-major order; its length must equal the product of {@code shape}
     * @param shape the dimensions
     * @return a tensor that shares {@code data}
     * @throws IllegalArgumentException if the length does not match the shape
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        int n = checkedSize(s);
        if (data.length != n) {
            throw new IllegalArgumentException("array has " + data.length + " elements but shape "
                    + Arrays.toString(s) + " needs " + n);
        }
        return new Tensor(s, data);
    }

    /**
     * A tensor holding a copy of the given array.
     *
     * @param data  the elements in row-major order
     * @param shape the dimensions
     * @return a new tensor
     */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    private static int checkedSize(int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("every dimension must be at least 1 but shape is "
                        + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements");
            }
        }
        return (int) n;
    }

    /** @return a copy of the dimensions */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * @param axis the axis, from 0
     * @return the size of that axis
     */
    public int dim(int axis) {
        return shape[axis];
    }

    /** @return the number of axes */
    public int rank() {
        return shape.length;
    }

    /** @return the number of elements */
    public int size() {
        return data.length;
    }

    /** @return the backing array itself (row-major), not a copy */
    public float[] data() {
        return data;
    }

    /**
     * @param index a flat row-major index
     * @return the element there
     */
    public float get(int index) {
        return data[index];
    }

    /** @return a deep copy */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /**
     * @param other another tensor
     * @return whether both have the same shape
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * Steps {@code [from, from + count)} of a sequence tensor, copied: the chunk to feed a {@code Streaming} next, or a
     * window of a longer sequence.
     *
     * @param from  the first step
     * @param count how many steps
     * @return {@code [batch, count, features]}
     * @throws IllegalArgumentException if this is not {@code [batch, time, features]} or the range is outside it
     */
    public Tensor steps(int from, int count) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("steps(...) needs a [batch, time, features] tensor but this is "
                    + shapeString());
        }
        int b = shape[0];
        int t = shape[1];
        int f = shape[2];
        if (from < 0 || count < 1 || from + count > t) {
            throw new IllegalArgumentException("steps [" + from + ", " + (from + count) + ") are outside the "
                    + t + " steps of " + shapeString());
        }
        float[] out = new float[b * count * f];
        for (int i = 0; i < b; i++) {
            System.arraycopy(data, (i * t + from) * f, out, i * count * f, count * f);
        }
        return new Tensor(new int[] {b, count, f}, out);
    }

    /**
     * Joins sequence tensors along time, the inverse of {@link #steps}.
     *
     * @param parts {@code [batch, t_i, features]} tensors with the same batch and features
     * @return {@code [batch, Σ t_i, features]}
     * @throws IllegalArgumentException if there are none or their batch or features differ
     */
    public static Tensor concatSteps(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatSteps needs at least one tensor");
        }
        int b = parts.get(0).dim(0);
        int f = parts.get(0).rank() == 3 ? parts.get(0).dim(2) : -1;
        int total = 0;
        for (Tensor p : parts) {
            if (p.rank() != 3 || p.dim(0) != b || p.dim(2) != f) {
                throw new IllegalArgumentException("concatSteps needs [batch, time, features] tensors with the same "
                        + "batch and features, but got " + p.shapeString() + " after " + parts.get(0).shapeString());
            }
            total += p.dim(1);
        }
        float[] out = new float[b * total * f];
        int at = 0;
        for (Tensor p : parts) {
            int t = p.dim(1);
            for (int i = 0; i < b; i++) {
                System.arraycopy(p.data, i * t * f, out, (i * total + at) * f, t * f);
            }
            at += t;
        }
        return new Tensor(new int[] {b, total, f}, out);
    }

    /**
     * @return the index of the first NaN or infinite element, or -1 if all are finite
     */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    /** @return the shape as text, for example {@code [128, 28, 28]} */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
