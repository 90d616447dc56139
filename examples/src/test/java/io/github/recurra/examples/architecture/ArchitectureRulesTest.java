package io.github.recurra.examples.architecture;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule of {@link ArchitectureRules} fails on deliberately violating fixture classes (test sources, packages
 * {@code io.github.recurra.*.archfixture}) and, as a control, passes on compliant ones. Each violating fixture is
 * checked on its own and the violation must name it, so one fixture cannot hide another that the rule misses (nor can
 * an "empty should" failure pass for a violation).
 */
class ArchitectureRulesTest {
    private static final String API = "io.github.recurra.api.archfixture.";
    private static final String CONFORMANCE = "io.github.recurra.conformance.archfixture.";
    private static final String CPU = "io.github.recurra.cpu.archfixture.";
    private static final String TENSORFLOW = "io.github.recurra.tensorflow.archfixture.";
    private static final String ONNX = "io.github.recurra.onnx.archfixture.";
    private static final String ONNX_RUNTIME = "io.github.recurra.onnxruntime.archfixture.";
    private static final String EXAMPLES = "io.github.recurra.examples.archfixture.";

    @Test
    void apiDependsOnlyOnTheJdk() {
        ArchRule rule = ArchitectureRules.API_DEPENDS_ONLY_ON_THE_JDK;
        assertViolatedBy(rule, API + "ApiUsingEjml");
        assertViolatedBy(rule, API + "ApiUsingGuice");
        assertViolatedBy(rule, API + "ApiUsingCpuBackend");
        assertPasses(rule, API + "ApiUsingJdkOnly", API + "ApiLoggingThroughSlf4j");
    }

    @Test
    void librariesDoNotPrint() {
        ArchRule rule = ArchitectureRules.LIBRARIES_DO_NOT_PRINT;
        assertViolatedBy(rule, CPU + "KernelPrinting");
        assertViolatedBy(rule, CONFORMANCE + "ConformancePrintingErrors");
        assertPasses(rule, EXAMPLES + "ExamplesPrinting", API + "ApiLoggingThroughSlf4j", CPU + "CpuUsingEjml");
    }

    @Test
    void backendsAreLeaves() {
        ArchRule rule = ArchitectureRules.BACKENDS_ARE_LEAVES;
        assertViolatedBy(rule, ONNX_RUNTIME + "OnnxUsingCpuBackend");
        assertViolatedBy(rule, TENSORFLOW + "TensorFlowUsingOnnxBackend");
        assertViolatedBy(rule, API + "ApiUsingCpuBackend");
        assertViolatedBy(rule, CONFORMANCE + "ConformanceUsingCpuBackend");
        assertPasses(rule, EXAMPLES + "ExamplesPickingCpuBackend", EXAMPLES + "ExamplesWiringWithGuice",
                CPU + "CpuUsingEjml", API + "ApiUsingJdkOnly", ONNX_RUNTIME + "OnnxRuntimeUsingOnnxFormat");
    }

    @Test
    void onnxFormatOnlyInTheOnnxBackendAndExamples() {
        ArchRule rule = ArchitectureRules.ONNX_FORMAT_ONLY_IN_ONNX_BACKEND_AND_EXAMPLES;
        assertViolatedBy(rule, CPU + "CpuUsingOnnxFormat");
        assertPasses(rule, ONNX_RUNTIME + "OnnxRuntimeUsingOnnxFormat", ONNX + "OnnxUsingEjml",
                EXAMPLES + "ExamplesPickingCpuBackend", API + "ApiUsingJdkOnly");
    }

    @Test
    void ejmlOnlyInTheCpuBackend() {
        ArchRule rule = ArchitectureRules.EJML_ONLY_IN_CPU_BACKEND;
        assertViolatedBy(rule, API + "ApiUsingEjml");
        assertViolatedBy(rule, ONNX + "OnnxUsingEjml");
        assertPasses(rule, CPU + "CpuUsingEjml", API + "ApiUsingJdkOnly");
    }

    /**
     * TensorFlow, ONNX Runtime and protobuf are not on any class path yet, and a fixture must not pose as one of those
     * libraries by living in its package. Their rules are built by {@link ArchitectureRules#onlyIn}, so the helper
     * is shown to work with a library that is present (EJML, with more than one allowed package as protobuf's rule
     * has), and the rules are shown to be exactly the helper's construction for their library and backend.
     */
    @Test
    void libraryConfinementHelperWorksAndBuildsTheOtherLibraryRules() {
        ArchRule ejmlInTwoPackages = ArchitectureRules.onlyIn(ArchitectureRules.EJML_LIBRARY,
                ArchitectureRules.CPU, ArchitectureRules.TENSORFLOW);
        assertViolatedBy(ejmlInTwoPackages, ONNX + "OnnxUsingEjml");
        assertViolatedBy(ejmlInTwoPackages, API + "ApiUsingEjml");
        assertPasses(ejmlInTwoPackages, CPU + "CpuUsingEjml");

        assertSameRule(ArchitectureRules.onlyIn("org.tensorflow..", "io.github.recurra.tensorflow.."),
                ArchitectureRules.TENSORFLOW_ONLY_IN_TENSORFLOW_BACKEND);
        assertSameRule(ArchitectureRules.onlyIn("ai.onnxruntime..", "io.github.recurra.onnxruntime.."),
                ArchitectureRules.ONNX_RUNTIME_ONLY_IN_ONNX_BACKEND);
        assertSameRule(ArchitectureRules.onlyIn("ai.onnx..", "io.github.recurra.onnx.."),
                ArchitectureRules.ONNX_PROTOBUF_ONLY_IN_ONNX_FORMAT);
        assertSameRule(ArchitectureRules.onlyIn("com.google.protobuf..", "io.github.recurra.tensorflow..",
                "io.github.recurra.onnx.."), ArchitectureRules.PROTOBUF_ONLY_IN_TENSORFLOW_AND_ONNX_FORMAT);
    }

    /**
     * The library rules on real violations: a fixture that uses one class of the library, compiled at test time in a
     * temporary directory against a stand-in of that class (the stand-in is compiled there too, never shipped, and
     * not imported; ArchUnit records the dependency by name). Each rule must fail on the fixture in a package outside
     * the library's backend and pass on the same fixture inside it.
     */
    @Test
    void libraryRulesFailOnClassesThatUseTheLibrary(@TempDir Path dir) throws IOException {
        check(dir, ArchitectureRules.TENSORFLOW_ONLY_IN_TENSORFLOW_BACKEND, "org.tensorflow.Tensor", "api", "tensorflow");
        check(dir, ArchitectureRules.ONNX_RUNTIME_ONLY_IN_ONNX_BACKEND, "ai.onnxruntime.OrtSession", "cpu",
                "onnxruntime");
        // the format module must not use the runtime, nor the runtime backend the protobuf classes
        check(dir, ArchitectureRules.ONNX_RUNTIME_ONLY_IN_ONNX_BACKEND, "ai.onnxruntime.OrtSession", "onnx", null);
        check(dir, ArchitectureRules.ONNX_PROTOBUF_ONLY_IN_ONNX_FORMAT, "ai.onnx.proto.OnnxMl", "onnxruntime", "onnx");
        check(dir, ArchitectureRules.PROTOBUF_ONLY_IN_TENSORFLOW_AND_ONNX_FORMAT, "com.google.protobuf.ByteString",
                "onnxruntime", "tensorflow");
        check(dir, ArchitectureRules.PROTOBUF_ONLY_IN_TENSORFLOW_AND_ONNX_FORMAT, "com.google.protobuf.ByteString",
                "cpu", "onnx");
        check(dir, ArchitectureRules.API_DEPENDS_ONLY_ON_THE_JDK, "com.google.protobuf.ByteString", "api", null);
        // SLF4J's API yes, a provider (or SLF4J's helpers) no
        check(dir, ArchitectureRules.API_DEPENDS_ONLY_ON_THE_JDK, "org.slf4j.simple.SimpleLogger", "api", null);
        check(dir, ArchitectureRules.API_DEPENDS_ONLY_ON_THE_JDK, "org.slf4j.helpers.MessageFormatter", "api", null);
        check(dir, ArchitectureRules.EJML_ONLY_IN_CPU_BACKEND, "org.ejml.data.FMatrixRMaj", "onnx", "cpu");
    }

    /**
     * Compiles {@code io.github.recurra.<module>.archgen.Uses<n>} using {@code library} for a violating and (if not
     * null) an allowed module, and checks the rule on each.
     */
    private static void check(Path dir, ArchRule rule, String library, String violating, String allowed)
            throws IOException {
        Path out = Files.createTempDirectory(dir, "classes");
        Path src = Files.createTempDirectory(dir, "src");
        int dot = library.lastIndexOf('.');
        List<Path> files = new ArrayList<>();
        files.add(write(src, library, "package " + library.substring(0, dot) + "; public class "
                + library.substring(dot + 1) + " { }"));
        List<String> fixtures = new ArrayList<>();
        for (String module : allowed == null ? List.of(violating) : List.of(violating, allowed)) {
            String name = "io.github.recurra." + module + ".archgen.Uses" + library.substring(dot + 1);
            fixtures.add(name);
            files.add(write(src, name, "package io.github.recurra." + module + ".archgen; class Uses"
                    + library.substring(dot + 1) + " { " + library + " field; }"));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString()));
        files.forEach(f -> args.add(f.toString()));
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "compiling the fixtures");
        JavaClasses bad = new ClassFileImporter().importPath(classFile(out, fixtures.get(0)));
        EvaluationResult result = rule.evaluate(bad);
        assertTrue(result.hasViolation(), "'" + rule.getDescription() + "' missed " + fixtures.get(0));
        assertTrue(String.join("\n", result.getFailureReport().getDetails()).contains(library),
                result.getFailureReport().getDetails().toString());
        if (allowed != null) {
            JavaClasses good = new ClassFileImporter().importPath(classFile(out, fixtures.get(1)));
            assertDoesNotThrow(() -> rule.check(good), () -> "on " + fixtures.get(1));
        }
    }

    private static Path write(Path src, String className, String code) throws IOException {
        Path file = src.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, code);
    }

    private static Path classFile(Path out, String className) {
        return out.resolve(className.replace('.', '/') + ".class");
    }

    @Test
    void guiceOnlyInBackendModules() {
        ArchRule rule = ArchitectureRules.GUICE_ONLY_IN_BACKEND_MODULES;
        assertViolatedBy(rule, CPU + "KernelUsingGuice");
        assertViolatedBy(rule, CPU + "HelperBackendModule");
        assertViolatedBy(rule, API + "ApiUsingGuice");
        assertViolatedBy(rule, API + "ApiBackendModule");
        assertViolatedBy(rule, EXAMPLES + "ExamplesWiringWithGuice");
        assertPasses(rule, CPU + "FixtureBackendModule", CPU + "FixtureBackendProvider", CPU + "CpuUsingEjml");
    }

    @Test
    void backendInternalsAreNotPublic() {
        ArchRule rule = ArchitectureRules.BACKEND_INTERNALS_ARE_NOT_PUBLIC;
        assertViolatedBy(rule, CPU + "PublicKernel");
        assertViolatedBy(rule, CPU + "LookalikeBackendProvider");
        assertViolatedBy(rule, ONNX_RUNTIME + "PublicOnnxSession");
        assertViolatedBy(rule, ONNX_RUNTIME + "SessionHolder$PublicNested");
        assertViolatedBy(rule, ONNX + "PublicOnnxHelper");
        assertPasses(rule, CPU + "FixtureBackendModule", CPU + "FixtureBackendProvider", CPU + "CpuUsingEjml",
                CPU + "KernelUsingGuice", ONNX_RUNTIME + "OptionsBackendModule",
                ONNX_RUNTIME + "OptionsBackendModule$Options", ONNX_RUNTIME + "OptionsBackendModule$Level",
                ONNX_RUNTIME + "SessionHolder");
        // the format module's API, the real classes (with one non-public class, so the rule has something to check)
        assertPasses(rule, "io.github.recurra.onnx.OnnxFormat", "io.github.recurra.onnx.OnnxExportOptions",
                "io.github.recurra.onnx.OnnxExportOptions$Builder", "io.github.recurra.onnx.OnnxModel",
                "io.github.recurra.onnx.OnnxNames", ONNX_RUNTIME + "SessionHolder");
        // the TensorFlow backend's export API, the real classes, next to a real internal one that must be caught
        assertPasses(rule, "io.github.recurra.tensorflow.SavedModelExport",
                "io.github.recurra.tensorflow.SavedModelExportOptions",
                "io.github.recurra.tensorflow.SavedModelExportOptions$Builder",
                "io.github.recurra.tensorflow.SavedModelSignature",
                "io.github.recurra.tensorflow.SavedModelSignature$Value", "io.github.recurra.tensorflow.ExportGraph");
    }

    @Test
    void noPackageCycles() {
        ArchRule rule = ArchitectureRules.NO_PACKAGE_CYCLES;
        EvaluationResult result = rule.evaluate(fixtures(EXAMPLES + "cycle.a.CycleA", EXAMPLES + "cycle.b.CycleB"));
        assertTrue(result.hasViolation(), "the cycle a <-> b was not reported");
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains("CycleA") && report.contains("CycleB"), report);
        assertPasses(rule, EXAMPLES + "acyclic.upper.Upper", EXAMPLES + "acyclic.lower.Lower");
    }

    @Test
    void noFieldInjection() {
        ArchRule rule = ArchitectureRules.NO_FIELD_INJECTION;
        assertViolatedBy(rule, EXAMPLES + "injection.JakartaFieldInjection");
        assertViolatedBy(rule, EXAMPLES + "injection.GuiceFieldInjection");
        assertPasses(rule, EXAMPLES + "injection.ConstructorInjection");
    }

    /** Every rule is picked up by {@link ArchitectureTest}, which runs the fields annotated {@link ArchTest}. */
    @Test
    void everyRuleRunsAgainstTheRealCode() throws IllegalAccessException {
        List<String> rules = new ArrayList<>();
        for (Field field : ArchitectureRules.class.getDeclaredFields()) {
            if (ArchRule.class.isAssignableFrom(field.getType())) {
                int m = field.getModifiers();
                assertTrue(Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m), field.getName());
                assertTrue(field.isAnnotationPresent(ArchTest.class), field.getName() + " is not an @ArchTest");
                ArchRule rule = (ArchRule) field.get(null);
                assertTrue(rule.getDescription().contains("because"), field.getName() + " says no why");
                rules.add(field.getName());
            }
        }
        assertEquals(13, rules.size(), rules.toString());
    }

    private static void assertViolatedBy(ArchRule rule, String fixture) {
        EvaluationResult result = rule.evaluate(fixtures(fixture));
        assertTrue(result.hasViolation(), "'" + rule.getDescription() + "' missed " + fixture);
        List<String> details = result.getFailureReport().getDetails();
        assertTrue(details.stream().anyMatch(d -> d.contains(fixture)),
                "'" + rule.getDescription() + "' failed, but not on " + fixture + ": " + details);
    }

    private static void assertPasses(ArchRule rule, String... compliant) {
        JavaClasses classes = fixtures(compliant);
        assertDoesNotThrow(() -> rule.check(classes), () -> "on " + Arrays.toString(compliant));
    }

    private static void assertSameRule(ArchRule expected, ArchRule actual) {
        assertEquals(expected.getDescription(), actual.getDescription());
    }

    /** By name: the fixtures are package-private in other packages on purpose (the public-API rule looks at that). */
    private static JavaClasses fixtures(String... names) {
        Class<?>[] classes = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            try {
                classes[i] = Class.forName(names[i], false, ArchitectureRulesTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError("no fixture " + names[i], e);
            }
        }
        return new ClassFileImporter().importClasses(classes);
    }
}
