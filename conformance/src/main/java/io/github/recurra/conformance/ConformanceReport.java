package io.github.recurra.conformance;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes {@code target/conformance/<backend>.md} (directory: system property {@code recurra.conformance.reportDir}):
 * per area of the kit, how many tests passed, failed or were skipped, every failure with its message, every skip
 * reason, the claimed capabilities, the reference backend and the tolerances in force.
 *
 * <p>It is a JUnit Platform listener, registered through {@code META-INF/services}, so it sees everything JUnit runs,
 * including failures outside a test method (a test-case source that throws, a backend that cannot be created), which
 * count as failures of their area. Each test class's results are kept in a file of their own under
 * {@code <dir>/.classes/<backend>/}, and the report is rebuilt from all of them after every class, so it covers every
 * area whether the classes ran in one JVM or in several. Delete the directory to forget earlier runs.
 */
public final class ConformanceReport implements TestExecutionListener {

    /** The areas of the kit, in report order. */
    public static final List<String> AREAS = List.of("cell forward", "sequence semantics", "gradients", "optimizers",
            "training", "persistence", "capabilities", "bad input");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** Results of one test class, as stored in its file. */
    static final class ClassResult {
        String className;
        String area;
        String backend;
        String capabilities;
        Map<String, String> tolerances;
        boolean standardTolerances;
        String reference;
        int passed;
        int failed;
        int skipped;
        List<String> failures = new ArrayList<>();
        List<String> skipReasons = new ArrayList<>();
    }

    private final Map<String, ClassResult> running = new HashMap<>();
    private final Set<String> otherClasses = new HashSet<>();

    /** Creates the listener; the JUnit Platform calls this. */
    public ConformanceReport() {
    }

    private static Path dir() {
        return Paths.get(System.getProperty("recurra.conformance.reportDir", "target/conformance"));
    }

    private static Optional<String> className(TestIdentifier id) {
        Optional<TestSource> source = id.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource) {
            return Optional.of(((MethodSource) source.get()).getClassName());
        }
        if (source.isPresent() && source.get() instanceof ClassSource) {
            return Optional.of(((ClassSource) source.get()).getClassName());
        }
        return Optional.empty();
    }

    private static String area(String className) {
        try {
            Class<?> c = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            ConformanceArea a = c.getAnnotation(ConformanceArea.class);
            return a == null ? null : a.value();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** The result record of a kit class, or null for other classes. */
    private ClassResult result(TestIdentifier id) {
        Optional<String> name = className(id);
        if (name.isEmpty()) {
            return null;
        }
        if (otherClasses.contains(name.get())) {
            return null;
        }
        ClassResult r = running.get(name.get());
        if (r == null) {
            String area = area(name.get());
            if (area == null) {
                otherClasses.add(name.get());
                return null;
            }
            r = new ClassResult();
            r.className = name.get();
            r.area = area;
            running.put(name.get(), r);
        }
        ConformanceRegistration.Info info = ConformanceRegistration.of(name.get());
        if (info != null) {
            r.backend = info.backend();
            r.capabilities = info.capabilities();
            r.tolerances = info.tolerances();
            r.standardTolerances = info.standardTolerances();
            r.reference = info.reference();
        }
        return r;
    }

    private static String where(TestIdentifier id) {
        String method = id.getSource().filter(s -> s instanceof MethodSource)
                .map(s -> "#" + ((MethodSource) s).getMethodName()).orElse("");
        return id.getDisplayName() + " [" + className(id).map(c -> c.substring(c.lastIndexOf('.') + 1)).orElse("")
                + method + "]";
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        m = m.replace("Assumption failed: ", "");
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        ClassResult r = result(id);
        if (r != null) {
            r.skipped++;
            r.skipReasons.add(reason == null ? "disabled" : reason);
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        ClassResult r = result(id);
        if (r == null) {
            return;
        }
        String why = result.getThrowable().map(ConformanceReport::firstLine).orElse("");
        switch (result.getStatus()) {
            case SUCCESSFUL:
                if (id.isTest()) {
                    r.passed++;
                }
                break;
            case ABORTED:
                r.skipped++;
                r.skipReasons.add(why);
                break;
            default:
                r.failed++;
                r.failures.add((id.isTest() ? "" : "(outside any test) ") + where(id) + ": " + why);
                break;
        }
        if (id.getSource().filter(s -> s instanceof ClassSource).isPresent()) {
            finish(r);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        for (ClassResult r : new ArrayList<>(running.values())) {
            finish(r);
        }
    }

    private void finish(ClassResult r) {
        running.remove(r.className);
        if (r.backend == null) {
            r.backend = "unknown-backend";
            r.failed++;
            r.failures.add("(outside any test) " + r.className + ": the kit class never got its backend");
        }
        try {
            Path classes = dir().resolve(".classes").resolve(r.backend);
            Files.createDirectories(classes);
            write(classes.resolve(r.className + ".json"), GSON.toJson(r));
            List<ClassResult> all = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(classes, "*.json")) {
                for (Path f : files) {
                    all.add(GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), ClassResult.class));
                }
            }
            all.sort((a, b) -> a.className.compareTo(b.className));
            write(dir().resolve(r.backend + ".md"), render(r.backend, all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance report under " + dir(), e);
        }
    }

    private static void write(Path file, CharSequence text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".report", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sums of one area over its classes. */
    private static final class AreaSum {
        int passed;
        int failed;
        int skipped;
        final List<String> failures = new ArrayList<>();
        final Map<String, Integer> skipReasons = new TreeMap<>();
    }

    static String render(String backend, List<ClassResult> classes) {
        Map<String, AreaSum> areas = new LinkedHashMap<>();
        for (String a : AREAS) {
            areas.put(a, null);
        }
        Map<Map<String, String>, List<String>> toleranceSets = new LinkedHashMap<>();
        Map<Map<String, String>, Boolean> standard = new HashMap<>();
        List<String> references = new ArrayList<>();
        List<String> capabilities = new ArrayList<>();
        for (ClassResult c : classes) {
            // the areas start as null placeholders (report order); computeIfAbsent replaces a null value
            AreaSum s = areas.computeIfAbsent(c.area, k -> new AreaSum());
            s.passed += c.passed;
            s.failed += c.failed;
            s.skipped += c.skipped;
            s.failures.addAll(c.failures);
            c.skipReasons.forEach(why -> s.skipReasons.merge(why, 1, Integer::sum));
            if (c.tolerances != null && !c.tolerances.isEmpty()) {
                toleranceSets.computeIfAbsent(c.tolerances, k -> new ArrayList<>()).add(c.area);
                standard.put(c.tolerances, c.standardTolerances);
            }
            if (c.reference != null && !c.reference.isEmpty() && !references.contains(c.reference)) {
                references.add(c.reference);
            }
            if (c.capabilities != null && !c.capabilities.isEmpty() && !capabilities.contains(c.capabilities)) {
                capabilities.add(c.capabilities);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Conformance report: backend `").append(backend).append("`\n\n");
        sb.append("Claimed capabilities: ").append(String.join(" / ", capabilities)).append("\n\n");
        sb.append("Reference backend: ").append(references.isEmpty() ? "none" : String.join(" / ", references))
                .append("\n\n");
        sb.append("| area | result | passed | failed | skipped |\n|---|---|---|---|---|\n");
        areas.forEach((name, s) -> {
            if (s == null) {
                sb.append("| ").append(name).append(" | not run | | | |\n");
            } else {
                sb.append("| ").append(name).append(" | ").append(verdict(s)).append(" | ").append(s.passed)
                        .append(" | ").append(s.failed).append(" | ").append(s.skipped).append(" |\n");
            }
        });
        toleranceSets.forEach((set, used) -> {
            sb.append("\nTolerances").append(Boolean.TRUE.equals(standard.get(set)) ? " (the kit's standard ones)"
                    : " (**differ from the kit's standard ones**)");
            if (toleranceSets.size() > 1) {
                sb.append(", used by ").append(String.join(", ", used));
            }
            sb.append(":\n\n");
            set.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        });
        areas.forEach((name, s) -> {
            if (s != null && !s.failures.isEmpty()) {
                sb.append("\n## Failures in ").append(name).append("\n\n");
                s.failures.stream().sorted().forEach(f -> sb.append("- ").append(f).append('\n'));
            }
            if (s != null && !s.skipReasons.isEmpty()) {
                sb.append("\n## Skipped in ").append(name).append("\n\n");
                s.skipReasons.forEach((why, n) -> sb.append("- ").append(n).append(" × ").append(why).append('\n'));
            }
        });
        return sb.toString();
    }

    private static String verdict(AreaSum a) {
        if (a.failed > 0) {
            return "**FAIL**";
        }
        if (a.passed == 0) {
            return "skipped";
        }
        return a.skipped > 0 ? "pass (some skipped)" : "pass";
    }
}
