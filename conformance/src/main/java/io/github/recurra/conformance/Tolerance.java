package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An elementwise tolerance: {@code |actual − expected| ≤ absolute + relative · |expected|}.
 *
 * @param absolute the absolute part, at least 0
 * @param relative the relative part, at least 0
 */
public record Tolerance(double absolute, double relative) {

    /**
     *
     * @param absolute the absolute part, at least 0
     * @param relative the relative part, at least 0
     * @throws IllegalArgumentException if a part is negative or not finite
     */
    public Tolerance {
        if (!(absolute >= 0) || !(relative >= 0) || Double.isInfinite(absolute) || Double.isInfinite(relative)) {
            throw new IllegalArgumentException("a tolerance needs finite parts of at least 0 but was absolute "
                    + absolute + ", relative " + relative);
        }
    }

    /**
     * @param expected the expected value
     * @param actual   the value to check
     * @return whether {@code actual} is within this tolerance of {@code expected} (NaN never is)
     */
    public boolean allows(double expected, double actual) {
        return Math.abs(actual - expected) <= absolute + relative * Math.abs(expected);
    }

    /**
     * Asserts that two arrays agree elementwise, reporting the worst element.
     *
     * @param expected the expected values
     * @param actual   the values to check
     * @param what     what is compared, for the message
     */
    public void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double excess = Math.abs((double) actual[i] - expected[i]) - (absolute + relative * Math.abs(expected[i]));
            if (Double.isNaN(excess)) {
                excess = Double.POSITIVE_INFINITY;
            }
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + " but " + expected[worst]
                    + " was expected (tolerance " + this + ")");
        }
    }

    /**
     * Asserts that two numbers agree.
     *
     * @param expected the expected value
     * @param actual   the value to check
     * @param what     what is compared, for the message
     */
    public void assertClose(double expected, double actual, String what) {
        if (!allows(expected, actual)) {
            fail(what + " is " + actual + " but " + expected + " was expected (tolerance " + this + ")");
        }
    }

    @Override
    public String toString() {
        return absolute + " + " + relative + "·|expected|";
    }
}
