package io.github.recurra.tensorflow;

import io.github.recurra.api.optim.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What a model keeps per optimizer for its native training sessions ({@link TfTrainingSession}): the slot variables,
 * the update rule ({@link UpdateGraph}), one entry into it per training piece (fed by the piece's graph gradients, so
 * that a step is one {@code Session.run}) and one fed by gradient placeholders for {@code apply}. Built on first use
 * and kept, so reopening a session with an equal optimizer adds no ops; guarded by the model's write lock.
 */
final class TrainingGraph {
    private final Ops tf;
    private final Variables vars;
    private final Slots slots;
    private final UpdateGraph rule;
    private final Map<Piece.Key, UpdateGraph.Update> steps = new HashMap<>();
    private List<Placeholder<TFloat32>> gradientFeeds;
    private UpdateGraph.Update apply;

    /**
     * @param tf        a sub-scope not used before
     * @param optimizer a built-in optimizer
     * @param vars      the parameters
     */
    TrainingGraph(Ops tf, Optimizer optimizer, Variables vars) {
        this.tf = tf;
        this.vars = vars;
        this.slots = new Slots(tf.withSubScope("slots"), UpdateGraph.slotNames(optimizer), vars);
        this.rule = new UpdateGraph(tf.withSubScope("scalars"), optimizer, vars, slots);
    }

    Slots slots() {
        return slots;
    }

    UpdateGraph.Scalars scalars() {
        return rule.scalars();
    }

    /**
     * @param piece a training piece
     * @return the update fed by its gradients (those of the parameters, the first of {@link Piece#gradients()}),
     *     applied only if its objective is finite too
     */
    UpdateGraph.Update step(Piece piece) {
        return steps.computeIfAbsent(piece.key(), k -> {
            List<Operand<TFloat32>> g = new ArrayList<>();
            for (int i = 0; i < vars.names().size(); i++) {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> gi = (Operand<TFloat32>) piece.gradients().get(i);
                g.add(gi);
            }
            return rule.build(tf.withSubScope("step" + steps.size()), g, tf.math.isFinite(piece.objective()));
        });
    }

    /** @return the update fed by {@link #gradientFeeds()} */
    UpdateGraph.Update apply() {
        if (apply == null) {
            Ops a = tf.withSubScope("apply");
            List<Placeholder<TFloat32>> feeds = new ArrayList<>();
            List<Operand<TFloat32>> g = new ArrayList<>();
            for (String n : vars.names()) {
                Placeholder<TFloat32> p = a.withName("gradient_" + n.replace('.', '_')).placeholder(TFloat32.class,
                        Placeholder.shape(Feeds.shape(vars.shapes().get(n))));
                feeds.add(p);
                g.add(p);
            }
            apply = rule.build(a, g, null);
            gradientFeeds = feeds;
        }
        return apply;
    }

    /** @return the gradient placeholders of {@link #apply()} in canonical order (after it was called) */
    List<Placeholder<TFloat32>> gradientFeeds() {
        return gradientFeeds;
    }
}
