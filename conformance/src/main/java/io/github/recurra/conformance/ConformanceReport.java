package io.github.recurra.conformance;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.recurra.api.spi.Capability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * per area of the kit, how many tests passed, ended with the refusal of a capability the backend does not claim,
 * failed or were skipped, the tests that passed using capabilities the backend does not claim, every failure with its message, every skip
 * reason, the claimed capabilities, the reference backend and the tolerances in force.
 *
 * <p>It is a JUnit Platform listener, registered through {@code META-INF/services}, so it sees everything JUnit runs,
 * including failures outside a test method (a test-case source that throws, a backend that cannot be created), which
 * count as failures of their area. Each test class's results are kept in a file of their own under
 * {@code <dir>/.classes/<backend>/}, merged with what an earlier partial run of that class stored (one method run
 * alone, a rerun, which marks a test whose outcome changed as flaky), and the report is rebuilt from all of them after
 * every class, under a file lock, so it covers every area whether the classes ran in one JVM or in several. Delete the
 * directory to forget earlier runs. The system property {@code recurra.conformance.note} adds a line to the report
 * (for example which kernels a run used).
 */
public final class ConformanceReport implements TestExecutionListener {

    /** The areas of the kit, in report order. */
    public static final List<String> AREAS = List.of("cell forward", "sequence semantics", "gradients", "optimizers",
            "training", "persistence", "capabilities", "bad input", "concurrency");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** One test's (or one container's) outcome. */
    static final class Outcome {
        String status;
        String text;

        Outcome(String status, String text) {
            this.status = status;
            this.text = text;
        }
    }

    private static final String PASSED = "passed";
    private static final String FAILED = "failed";
    private static final String SKIPPED = "skipped";
    /** Passed by refusing, as it must, a capability the backend does not claim; the text names the capability. */
    private static final String REFUSED = "refused";

    /** Results of one test class, as stored in its file: outcomes by the test's unique id. */
    static final class ClassResult {
        String className;
        String area;
        String backend;
        String capabilities;
        Map<String, String> tolerances;
        boolean standardTolerances;
        String reference;
        Map<String, Outcome> outcomes = new TreeMap<>();
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
        return m.length() > 600 ? m.substring(0, 600) + "…" : m;
    }

    /**
     * Records an outcome. A test already seen in this run with another outcome (a surefire rerun) is recorded as a
     * failure that says it was flaky: a conformance result must not depend on the attempt.
     */
    private static void record(ClassResult r, TestIdentifier id, String status, String text) {
        Outcome before = r.outcomes.get(id.getUniqueId());
        if (before != null && !before.status.equals(status)) {
            r.outcomes.put(id.getUniqueId(), new Outcome(FAILED, where(id) + ": flaky: " + before.status + " ("
                    + before.text + "), then " + status + " when run again"));
        } else {
            r.outcomes.put(id.getUniqueId(), new Outcome(status, text));
        }
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        ClassResult r = result(id);
        if (r != null) {
            record(r, id, SKIPPED, reason == null ? "disabled" : reason);
            if (isClass(id)) {
                finish(r);
            }
        }
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(s -> s instanceof ClassSource).isPresent();
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
                    Capability refused = ConformanceRegistration.refusedIn(id.getUniqueId());
                    Set<Capability> unclaimed = ConformanceRegistration.passedUnclaimed(id.getUniqueId());
                    if (refused != null) {
                        record(r, id, REFUSED, refused.name());
                    } else {
                        record(r, id, PASSED, unclaimed == null ? "" : unclaimed.toString());
                    }
                }
                break;
            case ABORTED:
                record(r, id, SKIPPED, why);
                break;
            default:
                record(r, id, FAILED, (id.isTest() ? "" : "(outside any test) ") + where(id) + ": " + why);
                break;
        }
        if (isClass(id)) {
            finish(r);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        for (ClassResult r : new ArrayList<>(running.values())) {
            finish(r);
        }
    }

    /** Serialises report writing within this JVM; {@link FileLock}s do it across JVMs (surefire forks). */
    private static final Object WRITING = new Object();

    /**
     * Stores a class's results, merged into what an earlier partial run of the same class stored (a run of one
     * method, a rerun), and rebuilds its backend's report from every class stored, under a lock that other JVMs
     * writing the same report respect.
     */
    @SuppressWarnings("try") // the file lock is held for the try block's scope, never read
    private void finish(ClassResult r) {
        running.remove(r.className);
        if (r.backend == null) {
            boolean failed = r.outcomes.values().stream().anyMatch(o -> o.status.equals(FAILED));
            if (!failed) {
                return; // disabled before it got a backend: nothing ran, nothing to report
            }
            r.backend = "unknown-backend";
        }
        Path classes = dir().resolve(".classes").resolve(r.backend);
        synchronized (WRITING) {
            try {
                Files.createDirectories(classes);
                try (FileChannel lockFile = FileChannel.open(classes.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                    Path own = classes.resolve(r.className + ".json");
                    if (Files.exists(own)) {
                        ClassResult earlier = GSON.fromJson(Files.readString(own, StandardCharsets.UTF_8),
                                ClassResult.class);
                        if (earlier != null && earlier.outcomes != null) {
                            earlier.outcomes.putAll(r.outcomes);
                            r.outcomes = earlier.outcomes;
                        }
                    }
                    write(own, GSON.toJson(r));
                    List<ClassResult> all = new ArrayList<>();
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(classes, "*.json")) {
                        for (Path f : files) {
                            all.add(GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), ClassResult.class));
                        }
                    }
                    all.sort((a, b) -> a.className.compareTo(b.className));
                    write(dir().resolve(r.backend + ".md"), render(r.backend, all));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the conformance report under " + dir(), e);
            }
        }
    }

    private static void write(Path file, CharSequence text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".report", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            // readable by whoever publishes the build's reports, not only by the user who ran it
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sums of one area over its classes. */
    private static final class AreaSum {
        int passed;
        int failed;
        int skipped;
        int refused;
        final List<String> failures = new ArrayList<>();
        final Map<String, Integer> refusals = new TreeMap<>();
        final Map<String, Integer> unclaimedPasses = new TreeMap<>();
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
            for (Outcome o : c.outcomes.values()) {
                if (o.status.equals(PASSED)) {
                    s.passed++;
                    if (o.text != null && !o.text.isEmpty()) {
                        s.unclaimedPasses.merge(o.text, 1, Integer::sum);
                    }
                } else if (o.status.equals(REFUSED)) {
                    s.refused++;
                    s.refusals.merge(o.text, 1, Integer::sum);
                } else if (o.status.equals(FAILED)) {
                    s.failed++;
                    s.failures.add(o.text);
                } else {
                    s.skipped++;
                    s.skipReasons.merge(o.text, 1, Integer::sum);
                }
            }
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
        String note = System.getProperty("recurra.conformance.note", "");
        if (!note.isBlank()) {
            sb.append(note).append("\n\n");
        }
        sb.append("Claimed capabilities: ").append(String.join(" / ", capabilities)).append("\n\n");
        sb.append("Reference backend: ").append(references.isEmpty() ? "none" : String.join(" / ", references))
                .append("\n\n");
        sb.append("A test that uses a capability the backend does not claim runs anyway. It is counted under "
                + "\"refused\" if the backend refused with UnsupportedCapabilityException naming that capability, "
                + "under \"passed\" (and listed below) if every check held, and as failed otherwise.\n\n");
        sb.append("| area | result | passed | refused | failed | skipped |\n|---|---|---|---|---|---|\n");
        areas.forEach((name, s) -> {
            if (s == null) {
                sb.append("| ").append(name).append(" | not run | | | | |\n");
            } else {
                sb.append("| ").append(name).append(" | ").append(verdict(s)).append(" | ").append(s.passed)
                        .append(" | ").append(s.refused).append(" | ").append(s.failed).append(" | ")
                        .append(s.skipped).append(" |\n");
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
            if (s != null && !s.refusals.isEmpty()) {
                sb.append("\n## Refused in ").append(name).append(" (capabilities not claimed)\n\n");
                s.refusals.forEach((c, n) -> sb.append("- ").append(n).append(" × ").append(c).append('\n'));
            }
            if (s != null && !s.unclaimedPasses.isEmpty()) {
                sb.append("\n## Passed in ").append(name).append(" using capabilities not claimed\n\n");
                s.unclaimedPasses.forEach((c, n) -> sb.append("- ").append(n).append(" × ").append(c).append('\n'));
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
            return a.refused > 0 ? "not claimed (refusals checked)" : "skipped";
        }
        return a.skipped > 0 ? "pass (some skipped)" : "pass";
    }
}
