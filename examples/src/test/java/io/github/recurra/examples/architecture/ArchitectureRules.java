package io.github.recurra.examples.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.List;

/**
 * The module boundaries of {@code ../shared/design/ARCHITECTURE.md} as ArchUnit rules, one named field per rule.
 * {@link ArchitectureTest} runs every field annotated {@link ArchTest} against the production classes of all modules;
 * {@link ArchitectureRulesTest} shows that each rule catches a deliberately violating fixture.
 *
 * <p>The rules match classes by package and class name, so they also hold for libraries that are not on the class
 * path yet (TensorFlow, ONNX Runtime, protobuf): a dependency on {@code org.tensorflow.Tensor} is recorded by name.
 */
public final class ArchitectureRules {

    /** Root package of every Recurra module. */
    public static final String RECURRA = "io.github.recurra";

    public static final String API = "io.github.recurra.api..";
    public static final String CPU = "io.github.recurra.cpu..";
    public static final String TENSORFLOW = "io.github.recurra.tensorflow..";
    /** The ONNX Runtime backend ({@code recurra-backend-onnx}). */
    public static final String ONNX_RUNTIME = "io.github.recurra.onnxruntime..";
    /**
     * The ONNX format module ({@code recurra-onnx}): export and import, no runtime; a library of the ONNX Runtime
     * backend and of examples, not a backend. Does not match {@code io.github.recurra.onnxruntime}.
     */
    public static final String ONNX = "io.github.recurra.onnx..";
    public static final String CONFORMANCE = "io.github.recurra.conformance..";
    public static final String EXAMPLES = "io.github.recurra.examples..";
    static final String[] BACKENDS = {CPU, TENSORFLOW, ONNX_RUNTIME};

    public static final String EJML_LIBRARY = "org.ejml..";
    public static final String TENSORFLOW_LIBRARY = "org.tensorflow..";
    public static final String ONNX_RUNTIME_LIBRARY = "ai.onnxruntime..";
    /** The ONNX protobuf classes ({@code ai.onnx.proto.OnnxMl}); does not match {@code ai.onnxruntime}. */
    public static final String ONNX_PROTOBUF_LIBRARY = "ai.onnx..";
    public static final String PROTOBUF_LIBRARY = "com.google.protobuf..";
    public static final String GUICE_LIBRARY = "com.google.inject..";
    /** SLF4J's API package ({@code Logger}, {@code LoggerFactory}); its sub-packages are helpers and SPI. */
    public static final String SLF4J_API = "org.slf4j";
    /** Apache Commons CSV, which api's training CSV log writes with. */
    public static final String COMMONS_CSV_LIBRARY = "org.apache.commons.csv..";

    /**
     * A backend's Guice module: in a backend package, named {@code *BackendModule}, and really a Guice module (the name
     * alone would let any class that calls itself a module use Guice).
     */
    static final DescribedPredicate<JavaClass> BACKEND_GUICE_MODULE = resideInAnyPackage(BACKENDS)
            .and(simpleNameEndingWith("BackendModule"))
            .and(assignableTo("com.google.inject.Module"))
            .as("a backend's *BackendModule (a Guice module)");

    /** A backend's ServiceLoader entry point: in a backend package, named {@code *BackendProvider}, implementing it. */
    static final DescribedPredicate<JavaClass> BACKEND_PROVIDER = resideInAnyPackage(BACKENDS)
            .and(simpleNameEndingWith("BackendProvider"))
            .and(assignableTo("io.github.recurra.api.spi.BackendProvider"))
            .as("a backend's *BackendProvider (ServiceLoader)");

    /**
     * A type nested in a backend's Guice module, such as the options its constructor takes
     * ({@code OnnxBackendModule.Options}): public because the module's public constructor needs it.
     */
    static final DescribedPredicate<JavaClass> NESTED_IN_BACKEND_GUICE_MODULE = DescribedPredicate.describe(
            "nested in a backend's *BackendModule",
            c -> c.getEnclosingClass().map(BACKEND_GUICE_MODULE::test).orElse(false));

    /**
     * The API of the ONNX format module, the types its users name: {@code OnnxFormat} (export and import),
     * {@code OnnxExportOptions} (and its builder), {@code OnnxModel} (an import's result) and {@code OnnxNames} (the
     * graph's input and output names). Everything else in the module is internal.
     */
    static final DescribedPredicate<JavaClass> ONNX_FORMAT_API = DescribedPredicate.describe(
            "the ONNX format module's API (OnnxFormat, OnnxExportOptions, OnnxModel, OnnxNames)",
            c -> List.of("io.github.recurra.onnx.OnnxFormat", "io.github.recurra.onnx.OnnxExportOptions",
                    "io.github.recurra.onnx.OnnxModel", "io.github.recurra.onnx.OnnxNames")
                    .contains(c.getEnclosingClass().map(JavaClass::getName).orElse(c.getName())));

    /**
     * The TensorFlow backend's SavedModel export, the types its users name: {@code SavedModelExport} (the export),
     * {@code SavedModelExportOptions} (and its builder) and {@code SavedModelSignature} (the written signature, and its
     * {@code Value}). They take and return Recurra and JDK types only; everything else in the backend is internal.
     */
    static final DescribedPredicate<JavaClass> TENSORFLOW_EXPORT_API = DescribedPredicate.describe(
            "the TensorFlow backend's SavedModel export API (SavedModelExport, SavedModelExportOptions, "
                    + "SavedModelSignature)",
            c -> List.of("io.github.recurra.tensorflow.SavedModelExport",
                    "io.github.recurra.tensorflow.SavedModelExportOptions",
                    "io.github.recurra.tensorflow.SavedModelSignature")
                    .contains(c.getEnclosingClass().map(JavaClass::getName).orElse(c.getName())));

    /**
     * api depends on the JDK, on itself, on the SLF4J logging API and on Apache Commons CSV (the training CSV log,
     * {@code CsvLog}: small and pure Java), nothing else. This is an allow-list rather than a
     * list of forbidden libraries because it is what api actually does (its main code imports only {@code java.*} and
     * {@code org.slf4j.Logger}/{@code LoggerFactory}, and {@code org.apache.commons.csv} in {@code CsvLog}), and it also catches a library nobody thought to forbid. EJML,
     * TensorFlow, ONNX Runtime, ONNX protobuf, protobuf and Guice are all outside it; so are {@code jakarta.inject},
     * every backend and SLF4J's helpers and providers (only the packages {@code org.slf4j} and, for the fluent API,
     * {@code org.slf4j.spi} are allowed). Widen it deliberately if api ever needs more.
     */
    @ArchTest
    public static final ArchRule API_DEPENDS_ONLY_ON_THE_JDK = classes().that().resideInAPackage(API)
            .should().onlyDependOnClassesThat().resideInAnyPackage(API, "java..", SLF4J_API, SLF4J_API + ".spi",
                    COMMONS_CSV_LIBRARY)
            .as("api depends only on the JDK, itself, the SLF4J API and Commons CSV (no EJML, TensorFlow, ONNX Runtime, ONNX"
                    + " protobuf, protobuf, Guice or backend class)")
            .because("api is the backend-agnostic contract every backend and user codes against; it logs through"
                    + " SLF4J's API and leaves the choice of a logging provider to the application");

    /**
     * The library modules (api, the backends, the ONNX format module, conformance) print nothing: no access to
     * {@code System.out} or {@code System.err} and no {@code printStackTrace()} (ArchUnit's
     * {@link GeneralCodingRules#ACCESS_STANDARD_STREAMS}). They log through SLF4J, so the application decides what
     * reaches a console; examples (the CLI) may print.
     */
    @ArchTest
    public static final ArchRule LIBRARIES_DO_NOT_PRINT = noClasses()
            .that().resideInAnyPackage(API, CPU, TENSORFLOW, ONNX_RUNTIME, ONNX, CONFORMANCE)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .as("library code does not write to System.out or System.err (only examples, the CLI, may)")
            .because("a library's output belongs to the application: library modules log through SLF4J")
            .allowEmptyShould(true);

    /**
     * No backend uses another backend, and neither api nor conformance uses any backend. The one exception is
     * examples: it is the application, the one place that may pick a backend (ARCHITECTURE.md: "examples may depend
     * on everything"), e.g. {@code Guice.createInjector(new CpuBackendModule())}.
     */
    @ArchTest
    public static final ArchRule BACKENDS_ARE_LEAVES = CompositeArchRule
            .of(usedOnlyByItselfAndExamples(CPU))
            .and(usedOnlyByItselfAndExamples(TENSORFLOW))
            .and(usedOnlyByItselfAndExamples(ONNX_RUNTIME))
            .as("no backend is used by another backend, by api or by conformance (only examples may pick one)")
            .because("a backend depends on api and its own engine only, so backends can be added, removed and"
                    + " shipped independently");

    /**
     * The ONNX format module is a library of the ONNX Runtime backend (which exports every network it runs) and of
     * examples (export and import commands); api, conformance and the other backends stay free of it, so that they do
     * not pull protobuf in. The format module itself uses no backend ({@link #BACKENDS_ARE_LEAVES}).
     */
    @ArchTest
    public static final ArchRule ONNX_FORMAT_ONLY_IN_ONNX_BACKEND_AND_EXAMPLES = noClasses()
            .that().resideOutsideOfPackages(ONNX, ONNX_RUNTIME, EXAMPLES)
            .should().dependOnClassesThat().resideInAPackage(ONNX)
            .as("the ONNX format module is used only by itself, the ONNX Runtime backend and examples")
            .because("ONNX files are a format for deployment and exchange; the engines and the kit need none of it")
            .allowEmptyShould(true);

    /** EJML, the CPU backend's engine, only in the CPU backend. */
    @ArchTest
    public static final ArchRule EJML_ONLY_IN_CPU_BACKEND = onlyIn(EJML_LIBRARY, CPU);

    /** TensorFlow Java only in the TensorFlow backend. */
    @ArchTest
    public static final ArchRule TENSORFLOW_ONLY_IN_TENSORFLOW_BACKEND = onlyIn(TENSORFLOW_LIBRARY, TENSORFLOW);

    /**
     * ONNX Runtime only in the ONNX Runtime backend. Not in the ONNX format module: its files are read and written
     * without a runtime (and validated before any runtime sees them).
     */
    @ArchTest
    public static final ArchRule ONNX_RUNTIME_ONLY_IN_ONNX_BACKEND = onlyIn(ONNX_RUNTIME_LIBRARY, ONNX_RUNTIME);

    /**
     * The ONNX protobuf classes only in the ONNX format module: export, import and the unrolled graphs the ONNX Runtime
     * backend runs are built there. Not in the ONNX Runtime backend, which asks the format module for its graphs.
     */
    @ArchTest
    public static final ArchRule ONNX_PROTOBUF_ONLY_IN_ONNX_FORMAT = onlyIn(ONNX_PROTOBUF_LIBRARY, ONNX);

    /**
     * Protobuf only in the two modules that speak it. Special case: two allowed packages, because besides the ONNX
     * format module (ONNX models are protobuf messages) the TensorFlow backend may need it too (TensorFlow Java's
     * graph and session configuration types are protobuf messages).
     */
    @ArchTest
    public static final ArchRule PROTOBUF_ONLY_IN_TENSORFLOW_AND_ONNX_FORMAT =
            onlyIn(PROTOBUF_LIBRARY, TENSORFLOW, ONNX);

    /**
     * Guice only in the backends' Guice modules. As tight as the real code allows: examples' main code does not use
     * Guice at all (it picks backends by name through {@code Backends.named}, i.e. ServiceLoader; the README's Guice
     * example is a test, {@code ReadmeExampleTest}, which this rule does not see), so examples gets no exception. If
     * examples' main code starts wiring with Guice, add that one wiring class here, not the whole package.
     * JSR-330 annotations ({@code jakarta.inject}) are not Guice and are not covered; api is kept free of them by
     * {@link #API_DEPENDS_ONLY_ON_THE_JDK}.
     */
    @ArchTest
    public static final ArchRule GUICE_ONLY_IN_BACKEND_MODULES = noClasses().that(not(BACKEND_GUICE_MODULE))
            .should().dependOnClassesThat().resideInAPackage(GUICE_LIBRARY)
            .as("Guice is used only by the backends' *BackendModule classes")
            .because("wiring is confined to one Guice module per backend; the rest of the code base is plain Java");

    /**
     * In a backend package only the Guice module and the ServiceLoader provider are public; everything else is an
     * implementation detail. The ONNX format module is held to the same standard with its own, larger API. Special
     * cases, each on purpose:
     * <ul>
     *   <li>types nested in a backend's Guice module ({@code OnnxBackendModule.Options} and the enum of its
     *       optimisation levels): the module's public constructor takes them, so they are part of choosing the
     *       backend;</li>
     *   <li>the ONNX format module's four API types and their nested types ({@code OnnxExportOptions.Builder}): that
     *       module is a library whose users export and import files, so these are what it is for;</li>
     *   <li>the TensorFlow backend's three SavedModel export types and their nested types
     *       ({@link #TENSORFLOW_EXPORT_API}): exporting a network for TensorFlow's own loaders is a job of that backend,
     *       and users call it directly, not through api;</li>
     *   <li>{@code package-info} is skipped: it documents the package and is not a type anyone can use (javac compiles
     *       it to a synthetic, non-public interface, so this only keeps the rule from depending on that detail).</li>
     * </ul>
     */
    @ArchTest
    public static final ArchRule BACKEND_INTERNALS_ARE_NOT_PUBLIC = classes()
            .that().resideInAnyPackage(CPU, TENSORFLOW, ONNX_RUNTIME, ONNX)
            .and(not(BACKEND_GUICE_MODULE))
            .and(not(BACKEND_PROVIDER))
            .and(not(NESTED_IN_BACKEND_GUICE_MODULE))
            .and(not(ONNX_FORMAT_API))
            .and(not(TENSORFLOW_EXPORT_API))
            .and().doNotHaveSimpleName("package-info")
            .should().notBePublic()
            .as("in a backend only the *BackendModule (with its nested options) and the *BackendProvider are public,"
                    + " (in the TensorFlow backend also its SavedModel export API), and in the ONNX format module only"
                    + " OnnxFormat, OnnxExportOptions, OnnxModel and OnnxNames")
            .because("users reach a backend through api (Backend, Model) and choose it by Guice module or by name,"
                    + " and the format module through its four API types; internals can change freely");

    /** Every package is its own slice ({@code (**)} captures the whole sub-package path), across all modules. */
    @ArchTest
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching(RECURRA + ".(**)")
            .should().beFreeOfCycles()
            .as("no package cycles in io.github.recurra")
            .because("packages form a layered graph that can be understood, tested and split bottom-up");

    /**
     * Like ArchUnit's {@code GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION}, limited to the injection
     * annotations Guice honours. By name, so {@code javax.inject} is covered though it is not on the class path.
     */
    @ArchTest
    public static final ArchRule NO_FIELD_INJECTION = noFields()
            .should().beAnnotatedWith("jakarta.inject.Inject")
            .orShould().beAnnotatedWith("javax.inject.Inject")
            .orShould().beAnnotatedWith("com.google.inject.Inject")
            .as("no field injection (no field annotated @Inject)")
            .because("ARCHITECTURE.md: constructor injection only, so every dependency is final and visible");

    private ArchitectureRules() {
    }

    /**
     * No class outside the allowed packages depends on the library. All library-confinement rules are built here, so
     * the rules for TensorFlow, ONNX Runtime and protobuf are the same construction as the EJML rule, which the fixture
     * test exercises with real EJML classes. (Those libraries are not on any class path yet, and fixture classes must
     * not pose as third-party code by living in their packages, so this is how those rules are tested honestly.)
     *
     * @param library the library's package pattern, e.g. {@code "org.ejml.."}
     * @param allowedPackages the package patterns whose classes may use it
     */
    public static ArchRule onlyIn(String library, String... allowedPackages) {
        return noClasses().that().resideOutsideOfPackages(allowedPackages)
                .should().dependOnClassesThat().resideInAPackage(library)
                .as(library + " is used only in " + String.join(", ", allowedPackages))
                .because("each engine library belongs to its own backend; api and the other modules stay free of it")
                // special case: a prohibition holds when no class lies outside the allowed packages (a fixture set
                // of allowed classes only); ArchitectureTest separately checks that the real import is not empty
                .allowEmptyShould(true);
    }

    private static ArchRule usedOnlyByItselfAndExamples(String backend) {
        // the examples exception: see BACKENDS_ARE_LEAVES. allowEmptyShould: as in onlyIn, a prohibition holds when
        // every class checked is in the backend itself or in examples
        return noClasses().that().resideOutsideOfPackages(backend, EXAMPLES)
                .should().dependOnClassesThat().resideInAPackage(backend)
                .allowEmptyShould(true);
    }
}
