package io.github.recurra.tensorflow;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A network's parameters as TensorFlow {@code VariableV2} variables (the kind a SavedModel export saves), one per
 * canonical tensor, in the canonical layout and order ({@link Parameters#shapesOf}), so reading them back and their
 * gradients need no conversion. Every graph piece reads them through {@link #value}, an {@code Identity} of the
 * variable, which is also what gradients are taken with respect to. Writes go through one {@code Assign} per variable
 * from a placeholder of its own, all fed in one run.
 *
 * <p>The in-graph optimizer ({@link UpdateGraph}) assigns to {@link #variable}s, in canonical order ({@link #names()}).
 */
final class Variables {
    private final List<String> names;
    private final Map<String, int[]> shapes;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final Map<String, Operand<TFloat32>> values = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> feeds = new LinkedHashMap<>();
    private final List<Assign<TFloat32>> assigns = new ArrayList<>();
    private final Parameters layout = Parameters.empty();

    /**
     * Adds the variables and their assign ops to the graph of {@code tf}.
     *
     * @param tf      the model's root ops, scoped to a sub-scope for the parameters
     * @param network the network
     */
    Variables(Ops tf, Network network) {
        this(tf, Parameters.shapesOf(network));
    }

    /**
     * Adds one variable per entry, each under a sub-scope named after it ({@code .} and {@code /} as {@code _}); the
     * optimizer's slots ({@link Slots}) are such a set too.
     *
     * @param tf     ops scoped to a sub-scope for the set
     * @param shapes names and shapes, in the order reads and writes use
     */
    Variables(Ops tf, Map<String, int[]> shapes) {
        this.shapes = new LinkedHashMap<>(shapes);
        this.names = List.copyOf(shapes.keySet());
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            Shape shape = Feeds.shape(e.getValue());
            Ops named = tf.withSubScope(e.getKey().replace('.', '_').replace('/', '_'));
            Variable<TFloat32> v = named.withName("variable").variable(shape, TFloat32.class);
            Placeholder<TFloat32> p = named.withName("new_value").placeholder(TFloat32.class,
                    Placeholder.shape(shape));
            variables.put(e.getKey(), v);
            values.put(e.getKey(), named.withName("value").identity(v));
            feeds.put(e.getKey(), p);
            assigns.add(named.withName("assign").assign(v, p));
            layout.put(e.getKey(), io.github.recurra.api.tensor.Tensor.zeros(e.getValue()));
        }
    }

    /** @return zeros of the canonical names and shapes (to check layouts against); do not modify */
    Parameters layout() {
        return layout;
    }

    /** @return the canonical shapes by name, in canonical order */
    Map<String, int[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    /** @return the canonical names, in canonical order */
    List<String> names() {
        return names;
    }

    /**
     * @param name a canonical name
     * @return the variable (for update ops)
     */
    Variable<TFloat32> variable(String name) {
        return variables.get(name);
    }

    /**
     * @param name a canonical name
     * @return the value every piece reads, in the canonical shape
     */
    Operand<TFloat32> value(String name) {
        return values.get(name);
    }

    /** @return the values in canonical order */
    List<Operand<TFloat32>> values() {
        return Collections.unmodifiableList(new ArrayList<>(values.values()));
    }

    /**
     * Writes every variable in one run.
     *
     * @param session    the model's session
     * @param parameters canonical names and shapes (checked by the caller)
     */
    void write(Session session, Parameters parameters) {
        if (names.isEmpty()) {
            return;
        }
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner run = session.runner();
            for (String name : names) {
                TFloat32 t = Feeds.tensor(parameters.get(name));
                tensors.add(t);
                run.feed(feeds.get(name), t);
            }
            assigns.forEach(run::addTarget);
            run.run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    /**
     * Reads every variable in one run.
     *
     * @param session the model's session
     * @return a new set with the canonical names and shapes
     */
    Parameters read(Session session) {
        Parameters p = Parameters.empty();
        if (names.isEmpty()) {
            return p;
        }
        Session.Runner run = session.runner();
        names.forEach(n -> run.fetch(values.get(n)));
        try (var result = run.run()) {
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                p.put(n, Feeds.read(result.get(i), shapes.get(n)));
            }
        }
        return p;
    }
}
