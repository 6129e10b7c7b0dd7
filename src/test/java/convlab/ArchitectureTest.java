package convlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of STYLE.md, checked on the main classes: dependencies point inward, the teaching core sees only the
 * JDK, and ND4J/DL4J never leak past {@code convlab.engine}.
 */
@AnalyzeClasses(packages = "convlab", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreSeesOnlyTheJdk = classes().that().resideInAPackage("convlab.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "convlab.core..")
            .because("the teaching core is JDK only");

    @ArchTest
    static final ArchRule onlyTheEngineSeesTheFrameworks = noClasses().that().resideOutsideOfPackage("convlab.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.deeplearning4j..", "org.bytedeco..")
            .because("convlab.engine is the only package that imports ND4J, DL4J or JavaCPP");

    /**
     * Pictures and reports read what an engine produced through the engine package's public face (the
     * {@code Engine} interface, {@code LayerRun} and its status, {@code GradRun}, {@code Engines}, {@code FrameworkInfo}), never
     * its implementations ({@code Nd4jConv2dEngine}, {@code Dl4jEngine}, {@code Nd4jRuntime}, ...).
     */
    @ArchTest
    static final ArchRule renderAndReportSeeOnlyTheEnginesPublicFace = noClasses()
            .that().resideInAnyPackage("convlab.render..", "convlab.report..")
            .should().dependOnClassesThat(DescribedPredicate.describe(
                    "are convlab.engine internals",
                    c -> c.getPackageName().startsWith("convlab.engine")
                            && !c.getName().matches("convlab\\.engine\\.(Engine|LayerRun(\\$.*)?|GradRun|Engines|FrameworkInfo)")))
            .because("an engine's internals are its own; renderers and reports read LayerRun, GradRun and FrameworkInfo");

    @ArchTest
    static final ArchRule ioSeesNoOuterLayer = noClasses().that().resideInAPackage("convlab.io..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("convlab.render..", "convlab.report..", "convlab.cli..", "convlab.engine..")
            .because("reading and writing files comes before engines, pictures, reports and the command line");

    /**
     * {@code convlab.ops} names each op's parts across the packages (its sweep in verify, its explainer in report), so
     * it sits right below the command line: only cli depends on it, and it hands the parts down (a sweep's plan
     * carries its op's sweep), so no package below it reaches up.
     */
    @ArchTest
    static final ArchRule onlyTheCommandLineSeesTheOpTable = noClasses().that().resideOutsideOfPackages("convlab.ops..", "convlab.cli..")
            .should().dependOnClassesThat().resideInAPackage("convlab.ops..")
            .because("the op table is the wiring under the command line; lower packages get an op's parts handed to them");

    @ArchTest
    static final ArchRule theOpTableSeesNoCommandLine = noClasses().that().resideInAPackage("convlab.ops..")
            .should().dependOnClassesThat().resideInAPackage("convlab.cli..")
            .because("the command line calls the op table, not the other way round");
}
