package io.github.recurra.api.io;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network spec as {@code key=value} lines (sorted keys, one per line), the text of a model file's {@code spec}
 * section. Floats are written with {@link Float#toString} so they read back exactly. Keys added after the first files
 * were written are written only when their value is not the default, and read as the default when absent, so older
 * files read unchanged: {@code layer<k>.lastStep} ({@link LastStep}, default {@code FINAL_STATES}).
 */
final class SpecCodec {

    private SpecCodec() {
    }

    static String write(Network n) {
        Map<String, String> m = new TreeMap<>();
        m.put("input", Integer.toString(n.inputSize()));
        m.put("dropout", Double.toString(n.dropout()));
        m.put("layers", Integer.toString(n.layers().size()));
        for (int k = 0; k < n.layers().size(); k++) {
            Sequence s = n.layers().get(k);
            String p = "layer" + k + ".";
            Cell c = s.cell();
            m.put(p + "cell", c.kind());
            m.put(p + "hidden", Integer.toString(c.hiddenSize()));
            m.put(p + "clip", Float.toString(c.clip()));
            m.put(p + "direction", s.direction().name());
            m.put(p + "merge", s.mergeMode().name());
            m.put(p + "returnSequences", Boolean.toString(s.returnSequences()));
            if (s.lastStep() != LastStep.FINAL_STATES) {
                m.put(p + "lastStep", s.lastStep().name());
            }
            if (c instanceof LstmCell) {
                LstmCell l = (LstmCell) c;
                m.put(p + "forgetBias", Float.toString(l.forgetBias()));
                m.put(p + "peepholes", Boolean.toString(l.hasPeepholes()));
                m.put(p + "coupledInputForget", Boolean.toString(l.coupledInputForget()));
                m.put(p + "activations", act(l.gateActivation()) + "," + act(l.cellActivation()) + ","
                        + act(l.outputActivation()));
            } else if (c instanceof GruCell) {
                GruCell g = (GruCell) c;
                m.put(p + "linearBeforeReset", Boolean.toString(g.linearBeforeReset()));
                m.put(p + "activations", act(g.gateActivation()) + "," + act(g.candidateActivation()));
            } else {
                m.put(p + "activations", act(((RnnCell) c).activation()));
            }
        }
        n.head().ifPresent(h -> {
            m.put("head.outputs", Integer.toString(h.outputs()));
            m.put("head.target", h.target().name());
            m.put("head.loss", h.loss().name());
        });
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String act(Activation a) {
        return a.kind().name() + ":" + Float.toString(a.alpha()) + ":" + Float.toString(a.beta());
    }

    private static Activation act(String s) {
        String[] p = s.split(":");
        return Activation.of(Activation.Kind.valueOf(p[0]), Float.parseFloat(p[1]), Float.parseFloat(p[2]));
    }

    static Network read(String text, String source) {
        Map<String, String> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(source + ": malformed spec line '" + line + "'");
            }
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            Network.Builder b = Network.builder(Integer.parseInt(get(m, "input", source)));
            b.dropout(Double.parseDouble(get(m, "dropout", source)));
            int layers = Integer.parseInt(get(m, "layers", source));
            for (int k = 0; k < layers; k++) {
                String p = "layer" + k + ".";
                int hidden = Integer.parseInt(get(m, p + "hidden", source));
                float clip = Float.parseFloat(get(m, p + "clip", source));
                String[] acts = get(m, p + "activations", source).split(",");
                Cell cell;
                switch (get(m, p + "cell", source)) {
                    case "lstm":
                        cell = LstmCell.builder(hidden).clip(clip)
                                .forgetBias(Float.parseFloat(get(m, p + "forgetBias", source)))
                                .peepholes(Boolean.parseBoolean(get(m, p + "peepholes", source)))
                                .coupledInputForget(Boolean.parseBoolean(get(m, p + "coupledInputForget", source)))
                                .activations(act(acts[0]), act(acts[1]), act(acts[2])).build();
                        break;
                    case "gru":
                        cell = GruCell.builder(hidden).clip(clip)
                                .linearBeforeReset(Boolean.parseBoolean(get(m, p + "linearBeforeReset", source)))
                                .activations(act(acts[0]), act(acts[1])).build();
                        break;
                    case "rnn":
                        cell = RnnCell.builder(hidden).clip(clip).activation(act(acts[0])).build();
                        break;
                    default:
                        throw new IllegalArgumentException("unknown cell '" + m.get(p + "cell") + "'");
                }
                b.layer(Sequence.builder(cell).direction(Direction.valueOf(get(m, p + "direction", source)))
                        .mergeMode(MergeMode.valueOf(get(m, p + "merge", source)))
                        .returnSequences(Boolean.parseBoolean(get(m, p + "returnSequences", source)))
                        .lastStep(lastStep(m.get(p + "lastStep"), p + "lastStep")).build());
            }
            if (m.containsKey("head.outputs")) {
                b.head(Head.of(Integer.parseInt(m.get("head.outputs")), Head.Target.valueOf(get(m, "head.target",
                        source)), Head.Loss.valueOf(get(m, "head.loss", source))));
            }
            return b.build();
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(source + ": the network spec is invalid: " + e.getMessage(), e);
        }
    }

    /** The value of a {@code lastStep} key: absent (files written before it existed) is the default. */
    private static LastStep lastStep(String value, String key) {
        if (value == null) {
            return LastStep.FINAL_STATES;
        }
        for (LastStep l : LastStep.values()) {
            if (l.name().equals(value)) {
                return l;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is '" + value + "' but must be one of "
                + Arrays.toString(LastStep.values()) + "; the file was damaged or written by a Recurra that "
                + "knows other values: load it with that version");
    }

    private static String get(Map<String, String> m, String key, String source) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException(source + ": the network spec has no '" + key + "'");
        }
        return v;
    }
}
