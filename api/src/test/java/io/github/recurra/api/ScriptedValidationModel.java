package io.github.recurra.api;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;

/**
 * A model for {@link TrainerTest#NET} trained on the host: step i (from 0) reports training loss {@code train[i]}
 * (or 1 past the script) with gradients of all ones; each forward pass gives, for every row, the logits
 * {@code [a, 0]} whose softmax cross-entropy for label 0 is the next scripted validation loss (a = log(p / (1 − p)),
 * p = e<sup>−loss</sup>), so a trainer that scores {@link #validationSet} in one batch sees the script.
 */
final class ScriptedValidationModel implements Model {
    final double[] train;
    final double[] validation;
    Parameters params = Initialization.defaults().initialize(TrainerTest.NET, 0);
    int steps;
    int forwards;

    ScriptedValidationModel(double[] train, double... validation) {
        this.train = train;
        this.validation = validation;
    }

    /** @return n sequences of label 0, for the scripted validation losses */
    static Dataset validationSet(int n) {
        return Dataset.of(new float[n * 4 * 3], new int[n], 4, 3, 2);
    }

    @Override
    public String backend() {
        return "scripted";
    }

    @Override
    public io.github.recurra.api.model.Network network() {
        return TrainerTest.NET;
    }

    @Override
    public Forward forward(Batch batch, States initial) {
        double loss = forwards < validation.length ? validation[forwards] : 1;
        forwards++;
        double p = Math.exp(-loss);
        float a = (float) Math.log(p / (1 - p));
        Tensor logits = Tensor.zeros(batch.size(), 2);
        for (int i = 0; i < batch.size(); i++) {
            logits.data()[2 * i] = a;
        }
        return new Forward(null, null, logits, null);
    }

    @Override
    public LossAndGradients lossAndGradients(Batch batch, States initial, long seed) {
        Parameters g = params.zerosLike();
        g.asMap().values().forEach(t -> Arrays.fill(t.data(), 1f));
        double loss = steps < train.length ? train[steps] : 1;
        steps++;
        return new LossAndGradients(loss, Tensor.zeros(batch.size(), 2), g, null, null);
    }

    @Override
    public Parameters parameters() {
        return params.copy();
    }

    @Override
    public void setParameters(Parameters p) {
        params = p.copy();
    }

    @Override
    public void close() {
    }
}
