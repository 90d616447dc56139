package io.github.recurra.examples.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * Checks every rule of {@link ArchitectureRules} against the production classes of all modules (examples' test class
 * path holds every module). Test classes, and with them the rule fixtures under {@code archfixture} packages, are left
 * out by {@link ImportOption.DoNotIncludeTests}.
 */
@AnalyzeClasses(packages = ArchitectureRules.RECURRA, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests RULES = ArchTests.in(ArchitectureRules.class);

    /** Guards against a vacuous pass: the import sees the main classes of every module, and no test class. */
    @ArchTest
    static void importSeesProductionClassesOfEveryModule(JavaClasses classes) {
        for (String name : new String[] {
                "io.github.recurra.api.train.Trainer",
                "io.github.recurra.cpu.CpuBackend",
                "io.github.recurra.cpu.CpuBackendModule",
                "io.github.recurra.conformance.Golden",
                "io.github.recurra.onnx.OnnxFormat",
                "io.github.recurra.onnxruntime.OnnxBackendModule",
                "io.github.recurra.onnxruntime.OnnxBackendModule$Options",
                "io.github.recurra.examples.Main"}) {
            assertTrue(classes.contain(name), "the import misses " + name);
        }
        assertFalse(classes.contain(ArchitectureTest.class), "the import holds test classes");
        assertTrue(classes.stream().noneMatch(c -> c.getPackageName().contains(".archfixture")),
                "the import holds rule fixtures");
    }
}
