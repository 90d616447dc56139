package io.github.recurra.conformance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Tells {@link ConformanceReport} which backend, tolerances and reference each kit class runs with, when JUnit
 * creates the class's instance. Registered by {@link ConformanceBase}; nothing to do in a backend module.
 */
public final class ConformanceRegistration implements TestInstancePostProcessor {

    /** What the report needs to know about one test class. */
    record Info(String backend, String capabilities, Map<String, String> tolerances, boolean standardTolerances,
            String reference) {
    }

    private static final Map<String, Info> CLASSES = new ConcurrentHashMap<>();

    /** Creates the extension; JUnit calls this. */
    public ConformanceRegistration() {
    }

    static Info of(String className) {
        return CLASSES.get(className);
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
