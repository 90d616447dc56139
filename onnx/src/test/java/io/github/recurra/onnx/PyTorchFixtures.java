package io.github.recurra.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The files {@code tools/onnx/export_pytorch.py} wrote with torch 1.13's {@code torch.onnx.export}, and PyTorch's
 * eager outputs for them (test resources under {@code pytorch/}).
 */
public final class PyTorchFixtures {
    private static final String DIR = "/io/github/recurra/onnx/pytorch/";

    private PyTorchFixtures() {
    }

    public static byte[] bytes(String file) {
        try (InputStream in = PyTorchFixtures.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonObject json(String file) {
        return JsonParser.parseString(new String(bytes(file), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** @return the names of every case in the manifest */
    public static List<String> cases() {
        JsonElement m = json("manifest.json");
        JsonArray arr = m.isJsonArray() ? m.getAsJsonArray() : m.getAsJsonObject().getAsJsonArray("cases");
        List<String> out = new ArrayList<>();
        arr.forEach(e -> out.add(e.getAsJsonObject().get("name").getAsString()));
        return out;
    }

    public static Tensor tensor(JsonObject t) {
        JsonArray shape = t.getAsJsonArray("shape");
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).getAsInt();
        }
        JsonArray data = t.getAsJsonArray("data");
        float[] d = new float[data.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = data.get(i).getAsFloat();
        }
        return Tensor.of(d, dims);
    }

    /**
     * PyTorch's stacked states {@code [layers * dirs, batch, hidden]} cut into Recurra's per-layer states.
     *
     * @param h    h0
     * @param c    c0, or null
     * @param dirs directions per layer
     * @return per-layer states
     */
    public static States states(Tensor h, Tensor c, int dirs) {
        int layers = h.dim(0) / dirs;
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            hs.add(rows(h, k * dirs, dirs));
            cs.add(c == null ? null : rows(c, k * dirs, dirs));
        }
        return new States(hs, cs);
    }

    private static Tensor rows(Tensor t, int from, int count) {
        int per = t.size() / t.dim(0);
        float[] d = new float[count * per];
        System.arraycopy(t.data(), from * per, d, 0, d.length);
        return Tensor.of(d, count, t.dim(1), t.dim(2));
    }

    /** PyTorch's stacked layout of per-layer states, for comparing h_n / c_n. */
    public static float[] stacked(List<Tensor> perLayer) {
        int n = 0;
        for (Tensor t : perLayer) {
            n += t.size();
        }
        float[] d = new float[n];
        int off = 0;
        for (Tensor t : perLayer) {
            System.arraycopy(t.data(), 0, d, off, t.size());
            off += t.size();
        }
        return d;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
