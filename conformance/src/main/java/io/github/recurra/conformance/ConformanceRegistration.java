package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.opentest4j.TestAbortedException;

/**
 * Tells {@link ConformanceReport} which backend, tolerances and reference each kit class runs with, when JUnit
 * creates the class's instance, and checks the refusals of unclaimed capabilities: a test that uses a capability the
 * backend does not claim (see {@link ConformanceBase#compile}) passes only if it ends with the backend's
 * {@link UnsupportedCapabilityException} naming that capability (the report counts a checked refusal) or passes all
 * its checks (the report says it passed without the claim).
 * Registered by {@link ConformanceBase}; nothing to do in a backend module.
 */
public final class ConformanceRegistration implements TestInstancePostProcessor, InvocationInterceptor {

    /** What the report needs to know about one test class. */
    record Info(String backend, String capabilities, Map<String, String> tolerances, boolean standardTolerances,
            String reference) {
    }

    private static final Map<String, Info> CLASSES = new ConcurrentHashMap<>();

    /** The tests (by JUnit unique id) that ended with an accepted refusal, and the capability refused. */
    private static final Map<String, Capability> REFUSED = new ConcurrentHashMap<>();

    /** The tests (by JUnit unique id) that passed using capabilities the backend does not claim, and those. */
    private static final Map<String, Set<Capability>> UNCLAIMED_PASSES = new ConcurrentHashMap<>();

    /** Creates the extension; JUnit calls this. */
    public ConformanceRegistration() {
    }

    static Info of(String className) {
        return CLASSES.get(className);
    }

    /**
     * @param uniqueId a test's JUnit unique id
     * @return the unclaimed capability whose refusal ended that test; or null
     */
    static Capability refusedIn(String uniqueId) {
        return REFUSED.get(uniqueId);
    }

    /**
     * @param uniqueId a test's JUnit unique id
     * @return the capabilities the backend does not claim that the test used and passed with; or null
     */
    static Set<Capability> passedUnclaimed(String uniqueId) {
        return UNCLAIMED_PASSES.get(uniqueId);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        checkRefusals(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        checkRefusals(invocation, context);
    }

    private static void checkRefusals(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Object instance = context.getRequiredTestInstance();
        if (!(instance instanceof ConformanceBase)) {
            invocation.proceed();
            return;
        }
        ConformanceBase test = (ConformanceBase) instance;
        test.takeExpectedRefusals();
        // a rerun of the same test (surefire's rerunFailingTestsCount) is judged afresh
        REFUSED.remove(context.getUniqueId());
        UNCLAIMED_PASSES.remove(context.getUniqueId());
        Throwable thrown = null;
        try {
            invocation.proceed();
        } catch (Throwable t) {
            thrown = t;
        }
        Set<Capability> unclaimed = test.takeExpectedRefusals();
        if (unclaimed.isEmpty() || thrown instanceof TestAbortedException) {
            if (thrown != null) {
                throw thrown;
            }
            return;
        }
        if (thrown == null) {
            UNCLAIMED_PASSES.put(context.getUniqueId(), unclaimed);
            return;
        }
        if (thrown instanceof UnsupportedCapabilityException
                && unclaimed.contains(((UnsupportedCapabilityException) thrown).capability())) {
            UnsupportedCapabilityException refusal = (UnsupportedCapabilityException) thrown;
            assertEquals(test.backendName(), refusal.backend(), () -> "the refusal should name the backend: "
                    + refusal.getMessage());
            REFUSED.put(context.getUniqueId(), refusal.capability());
            return;
        }
        throw new AssertionError("backend '" + test.backendName() + "' does not claim " + unclaimed + ", which this "
                + "test uses, so it must either refuse with UnsupportedCapabilityException naming one of them or "
                + "compute them right; the test ended with " + thrown, thrown);
    }

    @Override
    public void postProcessTestInstance(Object instance, ExtensionContext context) {
        if (!(instance instanceof ConformanceBase)) {
            return;
        }
        ConformanceBase base = (ConformanceBase) instance;
        String className = context.getRequiredTestClass().getName();
        try {
            CLASSES.put(className, new Info(base.backendName(), String.join(", ", base.claimedCapabilities()),
                    base.tolerances().describe(), base.tolerances().equals(Tolerances.standard()),
                    base.referenceDescription()));
        } catch (RuntimeException e) {
            // the class then fails, and the report lists that failure under the BackendUnderTest's class name
            CLASSES.put(className, new Info(base.underTestName(), "", Map.of(), true, ""));
            throw e;
        }
    }
}
