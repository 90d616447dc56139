package io.github.recurra.tensorflow;

import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer's slots as {@code VariableV2} variables beside the parameters, named {@code <slot>/<parameter>} in the
 * host {@code OptimizerState}'s order (slot by slot, parameters in canonical order): each with its value
 * ({@code Identity}), an assign from a placeholder (for {@link #write}) and one op that zeroes them all (a fresh
 * session starts from zero slots).
 */
final class Slots {
    private final List<String> names = new ArrayList<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final Map<String, Operand<TFloat32>> values = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> feeds = new LinkedHashMap<>();
    private final List<Op> assigns = new ArrayList<>();
    private final Op zero;

    /**
     * @param tf        a sub-scope of its own
     * @param slotNames the optimizer's slot names
     * @param params    the parameters
     */
    Slots(Ops tf, String[] slotNames, Variables params) {
        Map<String, int[]> paramShapes = params.shapes();
        List<Op> zeros = new ArrayList<>();
        for (String slot : slotNames) {
            for (String p : params.names()) {
                String name = slot + "/" + p;
                int[] dims = paramShapes.get(p);
                Shape shape = Feeds.shape(dims);
                Ops named = tf.withSubScope(slot + "_" + p.replace('.', '_'));
                Variable<TFloat32> v = named.withName("variable").variable(shape, TFloat32.class);
                Placeholder<TFloat32> ph = named.withName("new_value").placeholder(TFloat32.class,
                        Placeholder.shape(shape));
                names.add(name);
                shapes.put(name, dims);
                variables.put(name, v);
                values.put(name, named.withName("value").identity(v));
                feeds.put(name, ph);
                assigns.add(named.withName("assign").assign(v, ph));
                zeros.add(named.withName("zero").assign(v, named.zeros(named.constant(Feeds.shape(dims).asArray()),
                        TFloat32.class)));
            }
        }
        zero = tf.withControlDependencies(zeros).withName("zero_all").noOp();
    }

    /** @return the slot variable */
    Variable<TFloat32> variable(String slot, String param) {
        return variables.get(slot + "/" + param);
    }

    /** @return the value updates read */
    Operand<TFloat32> value(String slot, String param) {
        return values.get(slot + "/" + param);
    }

    /** Sets every slot to zero (one run). */
    void zero(Session session) {
        if (!names.isEmpty()) {
            session.runner().addTarget(zero).run().close();
        }
    }

    /** @return a copy of every slot, named {@code <slot>/<parameter>} */
    Parameters read(Session session) {
        Parameters p = Parameters.empty();
        if (names.isEmpty()) {
            return p;
        }
        Session.Runner run = session.runner();
        names.forEach(n -> run.fetch(values.get(n)));
        try (var result = run.run()) {
            for (int i = 0; i < names.size(); i++) {
                p.put(names.get(i), Feeds.read(result.get(i), shapes.get(names.get(i))));
            }
        }
        return p;
    }

    /**
     * @param session the model's session
     * @param slots   every slot by name (checked by the caller)
     */
    void write(Session session, Parameters slots) {
        if (names.isEmpty()) {
            return;
        }
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner run = session.runner();
            for (String n : names) {
                TFloat32 t = Feeds.tensor(slots.get(n));
                tensors.add(t);
                run.feed(feeds.get(n), t);
            }
            assigns.forEach(run::addTarget);
            run.run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    /** @return zeros of every slot's name and shape (the layout {@link #write} checks against) */
    Parameters layout() {
        Parameters p = Parameters.empty();
        shapes.forEach((n, s) -> p.put(n, io.github.recurra.api.tensor.Tensor.zeros(s)));
        return p;
    }
}
