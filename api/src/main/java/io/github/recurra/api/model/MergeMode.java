package io.github.recurra.api.model;

/** How a bidirectional sequence combines the outputs of its two directions at each time step. */
public enum MergeMode {
    /** [forward, reverse] along the feature axis: the output has 2 × hidden features. */
    CONCAT,
    /** forward + reverse. */
    SUM,
    /** (forward + reverse) / 2. */
    AVERAGE,
    /** forward ⊙ reverse. */
    MULTIPLY
}
