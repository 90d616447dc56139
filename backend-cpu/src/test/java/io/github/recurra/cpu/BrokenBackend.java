package io.github.recurra.cpu;

import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.HostTrainingSession;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.BackendUnderTest;
import java.util.EnumSet;
import java.util.Set;

/**
 * The CPU backend with one deliberate, realistic mistake, to show that the conformance kit catches it. Each mistake
 * is the kind a new backend makes at its edges: a wrong gate order when converting the canonical layout, lengths
 * dropped on the way to the kernel, a gradient scaled wrongly, a capability claimed but not implemented; and, as a
 * control, an honest backend that claims less.
 */
final class BrokenBackend implements Backend {

    /** The mistakes. */
    enum Mistake {
        /** LSTM input and forget gate blocks swapped in W, R and B (both ways, so parameters read back unchanged). */
        SWAPPED_LSTM_GATES,
        /** Per-example lengths ignored: every example runs to the full length. */
        IGNORED_LENGTHS,
        /** The gradient of the first layer's recurrent weights is half what it should be. */
        HALF_RECURRENT_GRADIENT,
        /** Gradients summed over the batch instead of averaged. */
        SUMMED_GRADIENTS,
        /** LSTM gates swapped on the way in only: parameters read back in the engine's order. */
        ONE_WAY_LAYOUT,
        /** Non-finite inputs replaced by 0 instead of rejected. */
        LENIENT_INPUT,
        /** Claims PEEPHOLES but refuses networks with peepholes. */
        CLAIMED_BUT_MISSING_PEEPHOLES,
        /** The training session runs Adam natively, but without its bias correction (other optimizers are right). */
        ADAM_WITHOUT_BIAS_CORRECTION,
        /** The training session reports the learning-rate factor it is given but updates at the full rate. */
        IGNORED_LEARNING_RATE_FACTOR,
        /** No mistake: claims only inference of plain LSTM, GRU and RNN layers, and says so. */
        HONEST_INFERENCE_ONLY,
        /** Claims what the honest one claims, and returns half the gradients instead of refusing TRAINING. */
        UNCLAIMED_AND_WRONG,
        /** Claims what the honest one claims, and refuses gradients with a bare UnsupportedOperationException. */
        UNCLAIMED_AND_UNCLEAR,
        /** Every call's logits are written into one array the model keeps and returned in it: calls race. */
        SHARED_OUTPUT_BUFFER,
        /** close() does not wait for calls in flight: they and later calls return zeros, as if memory were freed. */
        CLOSE_UNDER_CALLS,
        /** New parameters arrive in two writes, the first tensor alone and then the rest, visible in between. */
        TORN_UPDATES;

        String backendName() {
            return "broken-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        BackendUnderTest underTest() {
            Mistake m = this;
            return () -> new BrokenBackend(m);
        }
    }

    private final Mistake mistake;
    private final CpuBackend cpu = new CpuBackend(1);

    BrokenBackend(Mistake mistake) {
        this.mistake = mistake;
    }

    @Override
    public String name() {
        return mistake.backendName();
    }

    @Override
    public Set<Capability> capabilities() {
        if (mistake == Mistake.HONEST_INFERENCE_ONLY || mistake == Mistake.UNCLAIMED_AND_WRONG
                || mistake == Mistake.UNCLAIMED_AND_UNCLEAR) {
            return EnumSet.of(Capability.INFERENCE, Capability.LSTM, Capability.GRU, Capability.RNN);
        }
        return cpu.capabilities();
    }

    @Override
    public Model compile(Network network, Parameters parameters) {
        requireAll(network);
        if (mistake == Mistake.CLAIMED_BUT_MISSING_PEEPHOLES) {
            for (var layer : network.layers()) {
                if (layer.cell() instanceof LstmCell && ((LstmCell) layer.cell()).hasPeepholes()) {
                    throw new UnsupportedCapabilityException(name(), Capability.PEEPHOLES, capabilities(),
                            "run " + network);
                }
            }
        }
        return new BrokenModel(network, cpu.compile(network, convert(network, parameters)));
    }

    @Override
    public void close() {
        cpu.close();
    }

    /** The layout conversion into the engine: the identity, except for the gate-swapping mistakes. */
    private Parameters convert(Network network, Parameters p) {
        if (mistake != Mistake.SWAPPED_LSTM_GATES && mistake != Mistake.ONE_WAY_LAYOUT) {
            return p;
        }
        Parameters out = p.copy();
        for (int k = 0; k < network.layers().size(); k++) {
            if (!(network.layers().get(k).cell() instanceof LstmCell)) {
                continue;
            }
            for (String name : new String[] {Parameters.w(k), Parameters.r(k), Parameters.b(k)}) {
                Tensor t = out.get(name);
                int dirs = t.dim(0);
                int perDir = t.size() / dirs;
                int blocks = name.equals(Parameters.b(k)) ? 8 : 4;
                int block = perDir / blocks;
                float[] d = t.data();
                for (int dir = 0; dir < dirs; dir++) {
                    for (int half = 0; half < blocks / 4; half++) {
                        int base = dir * perDir + half * 4 * block;
                        for (int i = 0; i < block; i++) {
                            float tmp = d[base + i];
                            d[base + i] = d[base + 2 * block + i];
                            d[base + 2 * block + i] = tmp;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The conversion back out of the engine: the inverse of {@link #convert}, except for the one-way mistake. */
    private Parameters convertBack(Network network, Parameters p) {
        return mistake == Mistake.ONE_WAY_LAYOUT ? p : convert(network, p);
    }

    /** The CPU model behind the broken edge. */
    private final class BrokenModel implements Model {
        private final Network network;
        private final Model inner;

        BrokenModel(Network network, Model inner) {
            this.network = network;
            this.inner = inner;
        }

        /** What the model passes on: lengths dropped by that mistake; unclaimed features refused. */
        private Batch batch(Batch b, States initial) {
            if (b.lengths() != null) {
                require(Capability.SEQUENCE_LENGTHS, "use per-example lengths");
            }
            if (initial != null) {
                require(Capability.INITIAL_STATES, "start from given states");
            }
            if (mistake == Mistake.LENIENT_INPUT && b.inputs().firstNonFinite() >= 0) {
                Tensor x = b.inputs().copy();
                float[] d = x.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = Float.isFinite(d[i]) ? d[i] : 0f;
                }
                return new Batch(x, b.labels(), b.targets(), b.lengths());
            }
            return mistake == Mistake.IGNORED_LENGTHS
                    ? new Batch(b.inputs(), b.labels(), b.targets(), null) : b;
        }

        @Override
        public String backend() {
            return name();
        }

        @Override
        public Network network() {
            return network;
        }

        /** The one logits array of {@link Mistake#SHARED_OUTPUT_BUFFER}. */
        private float[] shared = new float[0];
        /** Set by {@link #close} under {@link Mistake#CLOSE_UNDER_CALLS}. */
        private volatile boolean freed;

        @Override
        public Forward forward(Batch batch, States initial) {
            if (mistake == Mistake.CLOSE_UNDER_CALLS && freed) {
                Forward f = inner.forward(batch(batch, initial), initial);
                java.util.Arrays.fill(f.logits().data(), 0f);
                return f;
            }
            Forward f = inner.forward(batch(batch, initial), initial);
            if (mistake == Mistake.SHARED_OUTPUT_BUFFER && f.logits() != null) {
                float[] own = f.logits().data();
                if (shared.length != own.length) {
                    shared = new float[own.length];
                }
                System.arraycopy(own, 0, shared, 0, own.length);
                Thread.yield();
                return new Forward(f.output(), f.finalStates(), Tensor.wrap(shared, f.logits().shape()),
                        f.predictions());
            }
            return f;
        }

        @Override
        public Forward forwardTraining(Batch batch, States initial, long seed) {
            return inner.forwardTraining(batch(batch, initial), initial, seed);
        }

        @Override
        public LossAndGradients lossAndGradients(Batch batch, States initial, long seed) {
            if (mistake == Mistake.UNCLAIMED_AND_UNCLEAR) {
                throw new UnsupportedOperationException("no gradients here");
            }
            if (mistake != Mistake.UNCLAIMED_AND_WRONG) {
                require(Capability.TRAINING, "compute gradients");
            }
            LossAndGradients lg = inner.lossAndGradients(batch(batch, initial), initial, seed);
            Parameters g = convertBack(network, lg.gradients());
            if (mistake == Mistake.SUMMED_GRADIENTS) {
                int n = batch.inputs().dim(0);
                for (Tensor t : g.asMap().values()) {
                    float[] d = t.data();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= n;
                    }
                }
            }
            if (mistake == Mistake.UNCLAIMED_AND_WRONG) {
                for (Tensor t : g.asMap().values()) {
                    float[] d = t.data();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= 0.5f;
                    }
                }
            }
            if (mistake == Mistake.HALF_RECURRENT_GRADIENT) {
                float[] r = g.get(Parameters.r(0)).data();
                for (int i = 0; i < r.length; i++) {
                    r[i] *= 0.5f;
                }
            }
            return new LossAndGradients(lg.loss(), lg.logits(), g, lg.finalStates(), lg.initialStateGradients());
        }

        @Override
        public Parameters parameters() {
            return convertBack(network, inner.parameters());
        }

        @Override
        public void setParameters(Parameters parameters) {
            if (mistake == Mistake.TORN_UPDATES) {
                Parameters half = inner.parameters();
                String first = parameters.names().iterator().next();
                float[] src = parameters.get(first).data();
                System.arraycopy(src, 0, half.get(first).data(), 0, src.length);
                inner.setParameters(half);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inner.setParameters(convert(network, parameters));
        }

        @Override
        public TrainingSession openTraining(Optimizer optimizer) {
            if (mistake == Mistake.ADAM_WITHOUT_BIAS_CORRECTION && optimizer instanceof Adam adam) {
                return new HostTrainingSession(this, adamWithoutBiasCorrection(adam, parameters()));
            }
            if (mistake == Mistake.IGNORED_LEARNING_RATE_FACTOR) {
                return new FactorIgnoringSession(new HostTrainingSession(this, optimizer));
            }
            return Model.super.openTraining(optimizer);
        }

        @Override
        public void close() {
            if (mistake == Mistake.CLOSE_UNDER_CALLS) {
                freed = true;
                return;
            }
            inner.close();
        }
    }

    /** A host session that keeps the factor it is given for show and never applies it. */
    private static final class FactorIgnoringSession implements TrainingSession {
        private final TrainingSession inner;
        private double factor = 1;

        FactorIgnoringSession(TrainingSession inner) {
            this.inner = inner;
        }

        @Override
        public Model model() {
            return inner.model();
        }

        @Override
        public Optimizer optimizer() {
            return inner.optimizer();
        }

        @Override
        public io.github.recurra.api.spi.TrainingStep step(Batch batch, States initial, long seed) {
            return inner.step(batch, initial, seed);
        }

        @Override
        public double apply(Parameters gradients) {
            return inner.apply(gradients);
        }

        @Override
        public long updates() {
            return inner.updates();
        }

        @Override
        public double learningRateFactor() {
            inner.updates();
            return factor;
        }

        @Override
        public void setLearningRateFactor(double factor) {
            inner.setLearningRateFactor(factor);
            inner.setLearningRateFactor(1);
            this.factor = factor;
        }

        @Override
        public Parameters slots() {
            return inner.slots();
        }

        @Override
        public void restore(Parameters slots, long updates) {
            inner.restore(slots, updates);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Adam's update with the bias corrections 1 − β^t left out (so the first updates are far too small). */
    static OptimizerState adamWithoutBiasCorrection(Adam spec, Parameters parameters) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double eps = spec.epsilon();
        return new OptimizerState(spec, parameters, "m", "v") {
            @Override
            protected void apply(String name, float[] p, float[] grad, float[] out, double lr, long t) {
                float[] m = slot("m", name);
                float[] v = slot("v", name);
                float[] mOut = nextSlot("m", name);
                float[] vOut = nextSlot("v", name);
                for (int i = 0; i < p.length; i++) {
                    float mi = (float) (b1 * m[i] + (1 - b1) * grad[i]);
                    float vi = (float) (b2 * v[i] + (1 - b2) * grad[i] * grad[i]);
                    mOut[i] = mi;
                    vOut[i] = vi;
                    out[i] = (float) (p[i] - lr * mi / (Math.sqrt(vi) + eps));
                }
            }
        };
    }
}
