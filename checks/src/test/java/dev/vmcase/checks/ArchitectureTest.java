package dev.vmcase.checks;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering written in {@code docs/architecture.md}, checked on the main classes of every module (this module
 * depends on {@code app}, which brings the others), as JabRef's {@code CommonArchitectureTest} does:
 * <pre>
 *   model ◄── parsers (SPI ◄── formats ◄── ingest) ◄── analysis, casefile ◄── views ◄── app
 *                    ▲                                                                   │
 *                    └──────────────────────────── lab ◄─────────────────────────────────┘
 * </pre>
 * A failing rule names each offending dependency with its class and line.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vmcase");

    /** The command line's classes (Main, every *Command of app): the only ones that may write to standard streams. */
    private static final String CLI = "dev\\.vmcase\\.app\\.(\\w+\\.)*(Main|\\w+Command)(\\$.*)?";

    @Test
    void everyModulesClassesAreImported() {
        // otherwise every rule below would pass on nothing
        Set<String> packages = CLASSES.getPackage("dev.vmcase").getSubpackagesInTree().stream()
                .filter(p -> !p.getClasses().isEmpty()).map(JavaPackage::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(packages.containsAll(List.of("dev.vmcase.model", "dev.vmcase.parsers", "dev.vmcase.parsers.ingest",
                "dev.vmcase.analysis", "dev.vmcase.casefile", "dev.vmcase.views", "dev.vmcase.lab", "dev.vmcase.app",
                "dev.vmcase.app.capture")), packages.toString());
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.vmcase.(**)").namingSlices("$1").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theModelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.vmcase.model..")
                .should().dependOnClassesThat(resideInAPackage("dev.vmcase..")
                        .and(resideOutsideOfPackage("dev.vmcase.model..")))
                .check(CLASSES);
    }

    @Test
    void noJavaFxBelowViews() {
        noClasses().that().resideInAnyPackage("dev.vmcase.model..", "dev.vmcase.parsers..", "dev.vmcase.analysis..",
                        "dev.vmcase.casefile..", "dev.vmcase.lab..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.sun.javafx..", "org.fxmisc..",
                        "atlantafx..")
                .check(CLASSES);
    }

    @Test
    void parsersNeverImportAnalysis() {
        noClasses().that().resideInAnyPackage("dev.vmcase.model..", "dev.vmcase.parsers..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vmcase.analysis..", "dev.vmcase.casefile..")
                .check(CLASSES);
    }

    @Test
    void formatParsersKnowOnlyTheContractNotTheIngest() {
        noClasses().that().resideInAPackage("dev.vmcase.parsers..")
                .and().resideOutsideOfPackage("dev.vmcase.parsers.ingest..")
                .and().resideOutsideOfPackage("dev.vmcase.parsers.lines..")
                .should().dependOnClassesThat().resideInAPackage("dev.vmcase.parsers.ingest..")
                .check(CLASSES);
    }

    @Test
    void layersAreUsedFromAboveOnly() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy("dev.vmcase.model..")
                .layer("parsers").definedBy("dev.vmcase.parsers..")
                .layer("analysis").definedBy("dev.vmcase.analysis..", "dev.vmcase.casefile..")
                .layer("views").definedBy("dev.vmcase.views..")
                .layer("lab").definedBy("dev.vmcase.lab..")
                .layer("app").definedBy("dev.vmcase.app..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("views").mayOnlyBeAccessedByLayers("app")
                .whereLayer("lab").mayOnlyBeAccessedByLayers("app")
                .whereLayer("analysis").mayOnlyBeAccessedByLayers("views", "app")
                .whereLayer("parsers").mayOnlyBeAccessedByLayers("analysis", "views", "lab", "app");
        layers.check(CLASSES);
    }

    @Test
    void onlyTheCommandLineWritesToStandardStreams() {
        // everything else reports through its caller, the status bar, a problem of the artifact, or the log
        noClasses().that().haveNameNotMatching(CLI).should(ACCESS_STANDARD_STREAMS).check(CLASSES);
    }
}
