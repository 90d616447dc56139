package io.github.recurra.tensorflow;

import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Conversions between the API's tensors and TensorFlow's (every TensorFlow tensor made here is the caller's to close). */
final class Feeds {

    private Feeds() {
    }

    /** @return the TensorFlow shape of {@code dims} */
    static Shape shape(int... dims) {
        long[] d = new long[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[i];
        }
        return Shape.of(d);
    }

    /**
     * @param t an API tensor
     * @return a new TensorFlow tensor with a copy of its values; close it
     */
    static TFloat32 tensor(Tensor t) {
        return tensor(t.data(), t.shape());
    }

    /**
     * @param data  row-major values, copied
     * @param shape their shape
     * @return a new TensorFlow tensor; close it
     */
    static TFloat32 tensor(float[] data, int... shape) {
        return TFloat32.tensorOf(shape(shape), DataBuffers.of(data, true, false));
    }

    /**
     * @param t     a float TensorFlow tensor (not closed here)
     * @param shape the shape it must have
     * @return a copy of its values as an API tensor
     * @throws IllegalStateException if the shape differs (a bug in the graph)
     */
    static Tensor read(org.tensorflow.Tensor t, int... shape) {
        long[] have = t.shape().asArray();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (have.length != shape.length || t.shape().size() != n) {
            throw new IllegalStateException("TensorFlow returned shape " + Arrays.toString(have) + " where "
                    + Arrays.toString(shape) + " was expected");
        }
        float[] out = new float[(int) n];
        ((TFloat32) t).copyTo(DataBuffers.of(out, false, false));
        return Tensor.wrap(out, shape);
    }
}
