package io.github.recurra.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads the values of a tensor that {@link ModelChecks#checkTensor} accepted. */
final class Tensors {
    private Tensors() {
    }

    static boolean isFloat(TensorProto t) {
        return t.getDataType() == TensorProto.DataType.FLOAT.getNumber();
    }

    static int[] dims(TensorProto t) {
        int[] d = new int[t.getDimsCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) t.getDims(i);
        }
        return d;
    }

    static float[] floats(TensorProto t) {
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    static long[] longs(TensorProto t) {
        boolean int64 = t.getDataType() == TensorProto.DataType.INT64.getNumber();
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[b.remaining() / (int64 ? 8 : 4)];
            for (int i = 0; i < out.length; i++) {
                out[i] = int64 ? b.getLong() : b.getInt();
            }
            return out;
        }
        int n = int64 ? t.getInt64DataCount() : t.getInt32DataCount();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = int64 ? t.getInt64Data(i) : t.getInt32Data(i);
        }
        return out;
    }
}
