package io.github.recurra.cpu;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider that records events ({@link RecordingLogger}), chosen explicitly with
 * {@code -Dslf4j.provider=io.github.recurra.cpu.RecordingProvider} by the JVMs {@link ScalarKernelsWarningTest} starts
 * (not registered as a service, so it never competes with another provider on the test class path).
 */
public final class RecordingProvider implements SLF4JServiceProvider {
    private static final Map<String, RecordingLogger> LOGGERS = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Made by SLF4J. */
    public RecordingProvider() {
    }

    /** @return every event recorded in this JVM, over all loggers, in no particular order between loggers */
    static List<String> events() {
        return LOGGERS.values().stream().flatMap(l -> l.events.stream()).toList();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return name -> LOGGERS.computeIfAbsent(name, RecordingLogger::new);
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }
}
