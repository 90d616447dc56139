package io.github.recurra.cpu;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that keeps every event at INFO and above as "LEVEL message", for tests; all levels enabled. */
final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /** Every event at INFO and above, formatted, in order. */
    final transient List<String> events = new CopyOnWriteArrayList<>();

    RecordingLogger(String name) {
        this.name = name;
    }

    /** @return the messages logged at WARN */
    List<String> warnings() {
        return events.stream().filter(e -> e.startsWith("WARN ")).map(e -> e.substring(5)).toList();
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        if (level.toInt() >= Level.INFO.toInt()) {
            events.add(level + " " + MessageFormatter.basicArrayFormat(messagePattern, arguments));
        }
    }
}
