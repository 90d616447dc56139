package io.github.recurra.api.data;

/** The in-memory dataset behind {@link Dataset#of}. */
final class ArrayDataset implements Dataset {
    private final float[] inputs;
    private final int[] labels;
    private final int timeSteps;
    private final int features;
    private final int classes;

    ArrayDataset(float[] inputs, int[] labels, int timeSteps, int features, int classes) {
        if (timeSteps < 1 || features < 1) {
            throw new IllegalArgumentException("time steps and features must be at least 1 but were " + timeSteps
                    + " and " + features);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classification dataset needs at least 2 classes but was given "
                    + classes);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("the dataset is empty: it has no examples; check the data source");
        }
        long per = (long) timeSteps * features;
        if (inputs.length != per * labels.length) {
            throw new IllegalArgumentException("inputs have " + inputs.length + " values but " + labels.length
                    + " examples of " + timeSteps + " steps x " + features + " features need " + per * labels.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!Float.isFinite(inputs[i])) {
                throw new IllegalArgumentException("input value " + inputs[i] + " of example " + (i / per)
                        + " (step " + (i % per) / features + ", feature " + (i % features)
                        + ") is not finite; clean or impute the data first");
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, "
                        + classes + ")");
            }
        }
        this.inputs = inputs;
        this.labels = labels;
        this.timeSteps = timeSteps;
        this.features = features;
        this.classes = classes;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int timeSteps() {
        return timeSteps;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public void copyInputs(int index, float[] dst, int offset) {
        int per = timeSteps * features;
        System.arraycopy(inputs, index * per, dst, offset, per);
    }

    @Override
    public int label(int index) {
        return labels[index];
    }
}
