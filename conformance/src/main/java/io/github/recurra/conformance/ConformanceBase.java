package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import io.github.recurra.api.tensor.Tensor;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every area of the kit shares: the backend under test (made once per test class, closed after its last test), the
 * reference backend (likewise), the tolerances, and capability handling. A test that needs a capability the backend
 * does not claim is skipped with that reason (a JUnit assumption); a claimed capability that fails is a test failure,
 * never a skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ConformanceRegistration.class)
public abstract class ConformanceBase {
    private final BackendUnderTest under;
    private Backend backend;
    private Reference reference;

    /**
     * @param under the backend under test
     */
    protected ConformanceBase(BackendUnderTest under) {
        if (under == null) {
            throw new IllegalArgumentException("pass the BackendUnderTest of your backend to the kit's constructor");
        }
        this.under = under;
    }

    /** @return the backend under test (one instance per test class) */
    protected final synchronized Backend backend() {
        if (backend == null) {
            backend = under.backend();
            if (backend == null) {
                throw new IllegalStateException(under.getClass().getName() + ".backend() returned null");
            }
        }
        return backend;
    }

    /**
     * Closes the backend under test and the reference backend after the class's last test, if this class made them
     * (JUnit calls it). The second is closed even if closing the first fails.
     */
    @AfterAll
    protected final synchronized void closeBackends() {
        Backend made = backend;
        Backend ref = reference == null ? null : reference.backend;
        try {
            if (made != null) {
                made.close();
            }
        } finally {
            if (ref != null && ref != made) {
                ref.close();
            }
        }
    }

    /** @return the tolerances in force */
    protected final Tolerances tolerances() {
        return under.tolerances();
    }

    /** @return the name of the backend under test */
    final String backendName() {
        return backend().name();
    }

    /** @return the capabilities it claims, by name */
    final Set<String> claimedCapabilities() {
        return backend().capabilities().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The reference backend. A missing one fails the calling test with what to add; a {@link BackendUnderTest} that
     * opts out (its {@code reference()} returns null) gets the test skipped with that reason.
     *
     * @return the reference backend (one instance per test class)
     */
    protected final Backend reference() {
        Reference r = resolveReference();
        if (r.missing != null) {
            return fail("the cross-backend checks need a reference backend: add "
                    + "io.github.recurra:recurra-backend-cpu as a test dependency, or make "
                    + "BackendUnderTest.reference() return null to run without these checks (they are then "
                    + "skipped, and the report says so). " + r.missing.getMessage(), r.missing);
        }
        assumeTrue(r.backend != null, "no reference backend (BackendUnderTest.reference() returned null), so the "
                + "cross-backend checks do not run");
        return r.backend;
    }

    /** The reference backend, or null when opted out, or why it is missing; asked for once per test class. */
    private record Reference(Backend backend, IllegalArgumentException missing) {
    }

    private synchronized Reference resolveReference() {
        if (reference == null) {
            try {
                reference = new Reference(under.reference(), null);
            } catch (IllegalArgumentException e) {
                reference = new Reference(null, e);
            }
        }
        return reference;
    }

    /** @return for the report: which reference the cross-backend checks use */
    final String referenceDescription() {
        Reference r = resolveReference();
        if (r.missing != null) {
            return "missing (" + r.missing.getMessage() + "): cross-backend checks fail";
        }
        if (r.backend == null) {
            return "none (opted out): cross-backend checks skipped";
        }
        if (r.backend.name().equals(backendName())) {
            return "`" + r.backend.name() + "`, the backend itself: the cross-backend checks show only that "
                    + "separately compiled models agree";
        }
        return "`" + r.backend.name() + "`";
    }

    /** @return for the report when the backend cannot be made: the name of the {@link BackendUnderTest} */
    final String underTestName() {
        return under.getClass().getName();
    }

    /**
     * Skips the calling test unless the backend claims every capability in {@code needed}.
     *
     * @param needed what the test needs
     * @param what   what the test does, for the reason
     */
    protected final void assumeClaims(Set<Capability> needed, String what) {
        Set<Capability> missing = unclaimed(needed);
        assumeTrue(missing.isEmpty(), () -> "backend '" + backendName() + "' does not claim " + missing
                + ", needed to " + what);
    }

    /**
     * The capabilities a run of {@code network} on {@code batch} needs.
     *
     * @param network  the network
     * @param batch    the batch (its lengths count), or null
     * @param initial  initial states, or null
     * @param training whether gradients are needed
     * @return the capabilities
     */
    protected static Set<Capability> needs(Network network, Batch batch, States initial, boolean training) {
        Set<Capability> need = EnumSet.copyOf(Capability.requiredBy(network));
        if (batch != null && batch.lengths() != null) {
            need.add(Capability.SEQUENCE_LENGTHS);
        }
        if (initial != null) {
            need.add(Capability.INITIAL_STATES);
        }
        if (training) {
            need.add(Capability.TRAINING);
        }
        return need;
    }

    /**
     * Compiles on the backend under test, failing the test if the backend refuses a capability it claims. If the test
     * needs capabilities the backend does not claim, it runs anyway: the backend may refuse one of them here or when the
     * model is asked for it (gradients, lengths, initial states), with {@link UnsupportedCapabilityException} naming
     * itself and that capability, which ends the test as a checked refusal; any other end but a pass fails the test.
     *
     * @param network    the network
     * @param parameters its parameters
     * @param needed     further capabilities the test needs (from {@link #needs}), or null
     * @return the model; close it
     */
    protected final Model compile(Network network, Parameters parameters, Set<Capability> needed) {
        Set<Capability> all = EnumSet.copyOf(Capability.requiredBy(network));
        if (needed != null) {
            all.addAll(needed);
        }
        Set<Capability> unclaimed = unclaimed(all);
        if (!unclaimed.isEmpty()) {
            expect(unclaimed);
        }
        try {
            return backend().compile(network, parameters);
        } catch (UnsupportedCapabilityException e) {
            if (unclaimed.contains(e.capability())) {
                throw e; // the refusal the test accepts: ConformanceRegistration checks and counts it
            }
            return fail("backend '" + backendName() + "' claims " + all + " but refused " + network + ": "
                    + e.getMessage(), e);
        }
    }

    /** The capabilities in {@code needed} that the backend does not claim. */
    final Set<Capability> unclaimed(Set<Capability> needed) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        for (Capability c : needed) {
            if (!backend().supports(c)) {
                missing.add(c);
            }
        }
        return missing;
    }

    /**
     * Capabilities a test uses that the backend does not claim: the test must end with the backend's refusal of one of
     * them, or pass. Set by {@link #compile}, read and reset by {@link ConformanceRegistration} around each test.
     */
    private Set<Capability> expected;

    private synchronized void expect(Set<Capability> unclaimed) {
        if (expected == null) {
            expected = EnumSet.noneOf(Capability.class);
        }
        expected.addAll(unclaimed);
    }

    /** @return the unclaimed capabilities the current test used (empty if none), and forgets them */
    final synchronized Set<Capability> takeExpectedRefusals() {
        Set<Capability> e = expected == null ? EnumSet.noneOf(Capability.class) : expected;
        expected = null;
        return e;
    }

    /**
     * Compiles on the reference backend.
     *
     * @param network    the network
     * @param parameters its parameters
     * @return the model; close it
     */
    protected final Model compileReference(Network network, Parameters parameters) {
        return reference().compile(network, parameters);
    }

    /**
     * Runs a golden case on the backend under test and compares the last layer's outputs and every layer's final
     * states with {@link Tolerances#forward()}; with lengths, outputs past an example's length must be exactly 0.
     */
    final void matchesGolden(GoldenCase c) {
        String name = c.name();
        try (Model m = compile(c.network, c.parameters, needs(c.network, c.batch, c.initial, false))) {
            Forward f = m.forward(c.batch, c.initial);
            Tolerance tol = tolerances().forward();
            tol.assertClose(c.y(), f.output().data(), name + ": Y");
            for (int k = 0; k < c.network.layers().size(); k++) {
                tol.assertClose(c.hT(k), f.finalStates().hidden().get(k).data(), name + ": Y_h of layer " + k);
                if (c.cT(k) != null) {
                    tol.assertClose(c.cT(k), f.finalStates().cell().get(k).data(), name + ": Y_c of layer " + k);
                }
            }
            if (c.batch.lengths() != null) {
                assertZeroPastLengths(f.output(), c.batch.lengths(), name);
            }
        }
    }

    private static void assertZeroPastLengths(Tensor y, int[] lengths, String what) {
        int t = y.dim(1);
        int f = y.dim(2);
        for (int i = 0; i < lengths.length; i++) {
            for (int step = lengths[i]; step < t; step++) {
                for (int j = 0; j < f; j++) {
                    float v = y.data()[(i * t + step) * f + j];
                    if (v != 0f) {
                        assertEquals(0f, v, what + ": output of example " + i + " at step " + step
                                + " is past its length " + lengths[i] + " and must be exactly 0");
                    }
                }
            }
        }
    }
}
