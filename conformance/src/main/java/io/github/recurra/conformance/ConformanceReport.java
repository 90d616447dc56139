package io.github.recurra.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records which tests of each area passed, failed or were skipped, per backend, and writes
 * {@code target/conformance/<backend>.md} (directory: system property {@code recurra.conformance.reportDir}) after
 * each test class, so the file always covers every area run so far in this JVM. Registered by
 * {@link ConformanceBase}; nothing to do in a backend module.
 */
public final class ConformanceReport implements TestWatcher, AfterAllCallback {

    /** The areas of the kit, in report order. */
    public static final List<String> AREAS = List.of("cell forward", "sequence semantics", "gradients", "optimizers",
            "training", "persistence", "capabilities", "bad input");

    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    /** Results of one backend. */
    private static final class Run {
        final Map<String, Area> areas = new TreeMap<>();
        Set<String> capabilities = new TreeSet<>();
        Map<String, String> tolerances = Map.of();
        boolean standardTolerances = true;
    }

    /** Results of one area. */
    private static final class Area {
        int passed;
        int failed;
        int skipped;
        final Map<String, Integer> skipReasons = new TreeMap<>();
        final Map<String, String> failures = new TreeMap<>();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, a -> a.passed++);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, a -> {
            a.failed++;
            a.failures.put(context.getDisplayName() + " [" + className(context) + "]", firstLine(cause));
        });
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, a -> {
            a.skipped++;
            a.skipReasons.merge(firstLine(cause), 1, Integer::sum);
        });
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, a -> {
            a.skipped++;
            a.skipReasons.merge(reason.orElse("disabled"), 1, Integer::sum);
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Object instance = context.getTestInstance().orElse(null);
        if (instance instanceof ConformanceBase) {
            String backend = ((ConformanceBase) instance).backendName();
            Run run = RUNS.get(backend);
            if (run != null) {
                write(backend, run);
            }
        }
    }

    private static String className(ExtensionContext context) {
        return context.getRequiredTestClass().getSimpleName();
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        m = m.replace("Assumption failed: ", "");
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    private interface Update {
        void apply(Area area);
    }

    private static void record(ExtensionContext context, Update update) {
        Object instance = context.getTestInstance().orElse(null);
        if (!(instance instanceof ConformanceBase)) {
            return;
        }
        ConformanceBase base = (ConformanceBase) instance;
        ConformanceArea area = context.getRequiredTestClass().getAnnotation(ConformanceArea.class);
        String name = area == null ? "other" : area.value();
        Run run = RUNS.computeIfAbsent(base.backendName(), k -> new Run());
        synchronized (run) {
            run.capabilities = base.claimedCapabilities();
            run.tolerances = base.tolerances().describe();
            run.standardTolerances = base.tolerances().equals(Tolerances.standard());
            update.apply(run.areas.computeIfAbsent(name, k -> new Area()));
        }
    }

    private static void write(String backend, Run run) {
        StringBuilder sb = new StringBuilder();
        synchronized (run) {
            sb.append("# Conformance report: backend `").append(backend).append("`\n\n");
            sb.append("Claimed capabilities: ").append(String.join(", ", run.capabilities)).append("\n\n");
            sb.append("| area | result | passed | failed | skipped |\n|---|---|---|---|---|\n");
            for (String name : AREAS) {
                Area a = run.areas.get(name);
                if (a == null) {
                    sb.append("| ").append(name).append(" | not run | | | |\n");
                } else {
                    sb.append("| ").append(name).append(" | ").append(verdict(a)).append(" | ").append(a.passed)
                            .append(" | ").append(a.failed).append(" | ").append(a.skipped).append(" |\n");
                }
            }
            for (Map.Entry<String, Area> e : run.areas.entrySet()) {
                if (!AREAS.contains(e.getKey())) {
                    Area a = e.getValue();
                    sb.append("| ").append(e.getKey()).append(" | ").append(verdict(a)).append(" | ").append(a.passed)
                            .append(" | ").append(a.failed).append(" | ").append(a.skipped).append(" |\n");
                }
            }
            sb.append("\nTolerances").append(run.standardTolerances ? " (the kit's standard ones)"
                    : " (**differ from the kit's standard ones**)").append(":\n\n");
            run.tolerances.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
            for (Map.Entry<String, Area> e : run.areas.entrySet()) {
                Area a = e.getValue();
                if (!a.failures.isEmpty()) {
                    sb.append("\n## Failures in ").append(e.getKey()).append("\n\n");
                    a.failures.forEach((test, why) -> sb.append("- ").append(test).append(": ").append(why)
                            .append('\n'));
                }
                if (!a.skipReasons.isEmpty()) {
                    sb.append("\n## Skipped in ").append(e.getKey()).append("\n\n");
                    a.skipReasons.forEach((why, n) -> sb.append("- ").append(n).append(" × ").append(why)
                            .append('\n'));
                }
            }
        }
        Path dir = Paths.get(System.getProperty("recurra.conformance.reportDir", "target/conformance"));
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, backend, ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(backend + ".md"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance report to " + dir, e);
        }
    }

    private static String verdict(Area a) {
        if (a.failed > 0) {
            return "**FAIL**";
        }
        if (a.passed == 0) {
            return "skipped";
        }
        return a.skipped > 0 ? "pass (some skipped)" : "pass";
    }
}
