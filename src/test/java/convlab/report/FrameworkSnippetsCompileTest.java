package convlab.report;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * explain's DL4J snippet is code a user pastes: compile it with javax.tools against the test class path, run it,
 * and check that the shape it prints is the reference's output shape, for the configurations where DL4J needs
 * help (asymmetric padding, depthwise, other groups, padding modes).
 */
class FrameworkSnippetsCompileTest {

    @TempDir
    Path dir;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("plain", 3, 4, 1, ConvSpec.defaults()),
                Arguments.of("same stride 2", 3, 4, 1, ConvSpec.defaults().withPadding(Padding.same()).withStride(Hw.of(2))),
                Arguments.of("asymmetric", 3, 2, 1, ConvSpec.defaults().withPadding(Padding.explicit(0, 1, 2, 0))),
                Arguments.of("same_lower odd", 3, 2, 1, ConvSpec.defaults().withPadding(Padding.sameLower()).withStride(Hw.of(2))),
                Arguments.of("depthwise x2", 4, 8, 4, ConvSpec.defaults().withPadding(Padding.symmetric(1))),
                Arguments.of("groups 2", 4, 6, 2, ConvSpec.defaults().withDilation(new Hw(1, 2))),
                Arguments.of("reflect", 3, 2, 1, ConvSpec.defaults().withPadding(Padding.symmetric(1)).withPaddingMode(PaddingMode.REFLECT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void theDl4jSnippetCompilesRunsAndPrintsTheReferenceShape(String what, int c, int o, int groups, ConvSpec spec) throws Exception {
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, o, c / groups, 3, 3), null, spec.withGroups(groups));
        Geometry g = Geometry.of(new int[] {1, c, 9, 8}, layer);
        Snippet s = FrameworkSnippets.dl4j(g, true, Layout.NCHW);
        String printed = compileAndRun(s.code());
        assertThat(printed.strip()).as("%s:%n%s", what, s.code()).isEqualTo(Arrays.toString(g.outputShape()));
    }

    /** Wraps the snippet's statements in a main method, compiles it in memory and returns what it printed. */
    private String compileAndRun(String code) throws Exception {
        List<String> lines = code.lines().toList();
        String imports = lines.stream().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
        String body = lines.stream().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
        String source = imports + "\npublic class Pasted {\n public static void main(String[] args) throws Exception {\n" + body + "\n }\n}\n";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Pasted.java"), SimpleJavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignore) {
                return source;
            }
        };
        boolean ok = javac.getTask(new java.io.PrintWriter(errors, true, StandardCharsets.UTF_8), null, null,
                List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path")), null, List.of(file)).call();
        assertThat(ok).as("the snippet compiles:%n%s%n%s", source, errors.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(Files.exists(dir.resolve("Pasted.class"))).isTrue();
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Pasted").getMethod("main", String[].class);
            PrintStream before = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) new String[0]);
            } finally {
                System.setOut(before);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
