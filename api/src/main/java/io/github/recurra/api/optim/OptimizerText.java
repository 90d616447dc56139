package io.github.recurra.api.optim;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an {@link Optimizer} as one line of text and parses it back to an equal optimizer, so that a checkpoint can
 * store it and resuming can compare by {@linkplain Object#equals(Object) equality}. The form is the kind followed by
 * {@code key=value} pairs, every hyper-parameter written (doubles as {@link Double#toString}, exact), for example
 * <pre>
 *   adam schedule=constant:0.001 beta1=0.9 beta2=0.999 epsilon=1.0E-8 clipValue=Infinity clipNorm=Infinity
 * </pre>
 * Kinds and their keys besides {@code schedule}, {@code clipValue} and {@code clipNorm}: {@code sgd} (momentum,
 * dampening, nesterov, weightDecay), {@code rmsprop} (alpha, epsilon, momentum, centered, weightDecay), {@code adam}
 * (beta1, beta2, epsilon), {@code adamw} (beta1, beta2, epsilon, weightDecay). A schedule is written as its kind and
 * arguments joined by colons: {@code constant:lr}, {@code step:lr:every:gamma}, {@code exponential:lr:gamma},
 * {@code cosine:lr:total:minLr}, {@code warmup:steps:<schedule>}.
 */
public final class OptimizerText {

    private OptimizerText() {
    }

    /**
     * @param optimizer any optimizer
     * @return its text, which {@link #parse} turns back into an equal optimizer
     */
    public static String write(Optimizer optimizer) {
        StringBuilder b = new StringBuilder();
        if (optimizer instanceof Sgd s) {
            b.append("sgd");
            put(b, "momentum", s.momentum());
            put(b, "dampening", s.dampening());
            put(b, "nesterov", s.nesterov());
            put(b, "weightDecay", s.weightDecay());
        } else if (optimizer instanceof RmsProp r) {
            b.append("rmsprop");
            put(b, "alpha", r.alpha());
            put(b, "epsilon", r.epsilon());
            put(b, "momentum", r.momentum());
            put(b, "centered", r.centered());
            put(b, "weightDecay", r.weightDecay());
        } else if (optimizer instanceof AdamW a) {
            b.append("adamw");
            moments(b, a.beta1(), a.beta2(), a.epsilon());
            put(b, "weightDecay", a.weightDecay());
        } else if (optimizer instanceof Adam a) {
            b.append("adam");
            moments(b, a.beta1(), a.beta2(), a.epsilon());
        } else {
            // unreachable while Optimizer is sealed; a new kind must be added above
            throw new IllegalArgumentException("no text form for optimizer " + optimizer.getClass().getName());
        }
        put(b, "schedule", write(optimizer.schedule()));
        put(b, "clipValue", optimizer.clipping().maxValue());
        put(b, "clipNorm", optimizer.clipping().maxNorm());
        return b.toString();
    }

    /**
     * @param schedule any schedule
     * @return its text ({@code constant:0.001}, {@code warmup:4:cosine:1.0:100:0.0}, ...)
     */
    public static String write(LearningRateSchedule schedule) {
        if (schedule instanceof LearningRateSchedule.Constant c) {
            return "constant:" + c.lr();
        } else if (schedule instanceof LearningRateSchedule.Step s) {
            return "step:" + s.lr() + ":" + s.every() + ":" + s.gamma();
        } else if (schedule instanceof LearningRateSchedule.Exponential e) {
            return "exponential:" + e.lr() + ":" + e.gamma();
        } else if (schedule instanceof LearningRateSchedule.Cosine c) {
            return "cosine:" + c.lr() + ":" + c.total() + ":" + c.minLr();
        } else if (schedule instanceof LearningRateSchedule.Warmup w) {
            return "warmup:" + w.steps() + ":" + write(w.base());
        }
        // unreachable while LearningRateSchedule is sealed; a new kind must be added above
        throw new IllegalArgumentException("no text form for schedule " + schedule.getClass().getName());
    }

    private static void moments(StringBuilder b, double beta1, double beta2, double epsilon) {
        put(b, "beta1", beta1);
        put(b, "beta2", beta2);
        put(b, "epsilon", epsilon);
    }

    private static void put(StringBuilder b, String key, Object value) {
        b.append(' ').append(key).append('=').append(value);
    }

    /**
     * @param text as written by {@link #write(Optimizer)}
     * @return the optimizer it describes
     * @throws IllegalArgumentException naming the problem (unknown kind, a missing, repeated, unknown or malformed
     *                                  key, a hyper-parameter out of range) and the text
     */
    public static Optimizer parse(String text) {
        String[] tokens = text.trim().split("\\s+");
        Keys k = new Keys(text);
        for (int i = 1; i < tokens.length; i++) {
            k.add(tokens[i]);
        }
        try {
            Optimizer o = switch (tokens[0]) {
                case "sgd" -> Sgd.builder().momentum(k.number("momentum")).dampening(k.number("dampening"))
                        .nesterov(k.flag("nesterov")).weightDecay(k.number("weightDecay"))
                        .schedule(k.schedule()).clipping(k.clipping()).build();
                case "rmsprop" -> RmsProp.builder().alpha(k.number("alpha")).epsilon(k.number("epsilon"))
                        .momentum(k.number("momentum")).centered(k.flag("centered"))
                        .weightDecay(k.number("weightDecay")).schedule(k.schedule()).clipping(k.clipping()).build();
                case "adam" -> Adam.builder().beta1(k.number("beta1")).beta2(k.number("beta2"))
                        .epsilon(k.number("epsilon")).schedule(k.schedule()).clipping(k.clipping()).build();
                case "adamw" -> AdamW.builder().beta1(k.number("beta1")).beta2(k.number("beta2"))
                        .epsilon(k.number("epsilon")).weightDecay(k.number("weightDecay")).schedule(k.schedule())
                        .clipping(k.clipping()).build();
                default -> throw new IllegalArgumentException("unknown optimizer kind '" + tokens[0]
                        + "' (expected sgd, rmsprop, adam or adamw)");
            };
            k.checkAllUsed();
            return o;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("optimizer text '" + text + "' is not valid: " + e.getMessage()
                    + "; write it with OptimizerText.write", e);
        }
    }

    /**
     * @param text as written by {@link #write(LearningRateSchedule)}
     * @return the schedule it describes
     * @throws IllegalArgumentException naming the problem and the text
     */
    public static LearningRateSchedule parseSchedule(String text) {
        Deque<String> parts = new ArrayDeque<>(Arrays.asList(text.trim().split(":", -1)));
        try {
            LearningRateSchedule s = schedule(parts);
            if (!parts.isEmpty()) {
                throw new IllegalArgumentException("unexpected trailing part '" + String.join(":", parts) + "'");
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule text '" + text + "' is not valid: " + e.getMessage()
                    + "; write it with OptimizerText.write", e);
        }
    }

    private static LearningRateSchedule schedule(Deque<String> p) {
        String kind = next(p, "the schedule kind");
        return switch (kind) {
            case "constant" -> LearningRateSchedule.constant(number(next(p, "lr"), "lr"));
            case "step" -> LearningRateSchedule.step(number(next(p, "lr"), "lr"), integer(next(p, "every"), "every"),
                    number(next(p, "gamma"), "gamma"));
            case "exponential" -> LearningRateSchedule.exponential(number(next(p, "lr"), "lr"),
                    number(next(p, "gamma"), "gamma"));
            case "cosine" -> LearningRateSchedule.cosine(number(next(p, "lr"), "lr"),
                    integer(next(p, "total"), "total"), number(next(p, "minLr"), "minLr"));
            case "warmup" -> {
                long steps = integer(next(p, "steps"), "steps");
                yield schedule(p).withWarmup(steps);
            }
            default -> throw new IllegalArgumentException("unknown schedule kind '" + kind
                    + "' (expected constant, step, exponential, cosine or warmup)");
        };
    }

    private static String next(Deque<String> p, String what) {
        if (p.isEmpty()) {
            throw new IllegalArgumentException("it ends where " + what + " was expected");
        }
        return p.removeFirst();
    }

    private static double number(String v, String key) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a number but was '" + v + "'", e);
        }
    }

    private static long integer(String v, String key) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be an integer but was '" + v + "'", e);
        }
    }

    /** The key=value pairs of one text, each to be used exactly once. */
    private static final class Keys {
        private final String text;
        private final Map<String, String> values = new LinkedHashMap<>();

        Keys(String text) {
            this.text = text;
        }

        void add(String token) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("optimizer text '" + text + "': '" + token + "' is not key=value");
            }
            if (values.put(token.substring(0, eq), token.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("optimizer text '" + text + "': key '" + token.substring(0, eq)
                        + "' appears twice");
            }
        }

        private String take(String key) {
            String v = values.remove(key);
            if (v == null) {
                throw new IllegalArgumentException("key '" + key + "' is missing");
            }
            return v;
        }

        double number(String key) {
            return OptimizerText.number(take(key), key);
        }

        boolean flag(String key) {
            String v = take(key);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("'" + key + "' must be true or false but was '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }

        LearningRateSchedule schedule() {
            return parseSchedule(take("schedule"));
        }

        Clipping clipping() {
            return new Clipping(number("clipValue"), number("clipNorm"));
        }

        void checkAllUsed() {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown keys " + values.keySet());
            }
        }
    }
}
