package io.github.recurra.tensorflow;

import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer's slots as {@code VariableV2} variables beside the parameters, named {@code <slot>/<parameter>} in the
 * host {@code OptimizerState}'s order (slot by slot, parameters in canonical order): a {@link Variables} set of those
 * names (values, assigns from placeholders, reads and writes in one run each), plus one op that zeroes them all (a
 * fresh session starts from zero slots).
 */
final class Slots {
    private final Variables set;
    private final Op zero;

    /**
     * @param tf        a sub-scope of its own
     * @param slotNames the optimizer's slot names
     * @param params    the parameters
     */
    Slots(Ops tf, String[] slotNames, Variables params) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String slot : slotNames) {
            for (String p : params.names()) {
                shapes.put(slot + "/" + p, params.shapes().get(p));
            }
        }
        set = new Variables(tf, shapes);
        List<Op> zeros = new ArrayList<>();
        for (String name : set.names()) {
            Ops named = tf.withSubScope(name.replace('.', '_').replace('/', '_'));
            zeros.add(named.withName("zero").assign(set.variable(name),
                    named.zeros(named.constant(Feeds.shape(shapes.get(name)).asArray()), TFloat32.class)));
        }
        zero = tf.withControlDependencies(zeros).withName("zero_all").noOp();
    }

    /** @return the slot variable */
    Variable<TFloat32> variable(String slot, String param) {
        return set.variable(slot + "/" + param);
    }

    /** @return the value updates read */
    Operand<TFloat32> value(String slot, String param) {
        return set.value(slot + "/" + param);
    }

    /** Sets every slot to zero (one run). */
    void zero(Session session) {
        if (!set.names().isEmpty()) {
            session.runner().addTarget(zero).run().close();
        }
    }

    /** @return a copy of every slot, named {@code <slot>/<parameter>} */
    Parameters read(Session session) {
        return set.read(session);
    }

    /**
     * @param session the model's session
     * @param slots   every slot by name (checked by the caller)
     */
    void write(Session session, Parameters slots) {
        set.write(session, slots);
    }

    /** @return zeros of every slot's name and shape (the layout {@link #write} checks against); do not modify */
    Parameters layout() {
        return set.layout();
    }
}
