package convlab.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Backward;
import convlab.core.CaseFields;
import convlab.core.Describe;
import convlab.core.Gradients;
import convlab.core.Layer;
import convlab.core.Op;
import convlab.core.OpGeometry;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.CaseFiles;
import convlab.io.CaseWriter;
import convlab.verify.SweepSampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The op seam's claim: every {@link Op} is registered once in {@link Ops}, and each op's parts work end to end: its
 * sweep draws layers of the op, which go through the case codec ({@link Layer#write}, {@link Op#read}) unchanged,
 * through its explainer, and through everything its {@link Layer} says for itself (words, backward pass, channels
 * read, caption, lesson text).
 */
class OpsTest {

    private static final long SEED = 20261202L;
    /** Samples drawn per op: enough that the conv2d sweep's every-4th pooling layer is among them. */
    private static final int SAMPLES = 12;

    @TempDir
    Path dir;

    @Test
    void everyOpIsRegisteredOnceWithItsOwnSweep() {
        Set<Class<?>> types = new HashSet<>();
        for (Op op : Op.values()) {
            Ops.Parts p = Ops.of(op);
            assertThat(p).as("%s's parts", op).isNotNull();
            assertThat(p.op()).isEqualTo(op);
            assertThat(p.sweep().op()).as("%s's sweep", op).isEqualTo(op);
            assertThat(p.sweep().features()).as("%s's sweep features", op).startsWith("all").doesNotHaveDuplicates();
            types.add(p.type());
        }
        assertThat(types).as("every Layer class permitted is some op's").containsExactlyInAnyOrderElementsOf(concrete(Layer.class));
    }

    /** The classes a sealed type permits, through sealed sub-interfaces (WeightedLayer) down to the records. */
    private static Set<Class<?>> concrete(Class<?> sealed) {
        Set<Class<?>> out = new HashSet<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isInterface()) {
                out.addAll(concrete(c));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void theTableRefusesAMissingOrDoubledOp() {
        List<Ops.Parts> all = new ArrayList<>();
        for (Op op : Op.values()) {
            all.add(Ops.of(op));
        }
        List<Ops.Parts> missing = all.subList(0, all.size() - 1);
        Op last = Op.values()[Op.values().length - 1];
        assertThatThrownBy(() -> Ops.table(missing)).hasMessageContaining(last + " has no parts");
        List<Ops.Parts> doubled = new ArrayList<>(all);
        doubled.add(all.get(0));
        assertThatThrownBy(() -> Ops.table(doubled)).hasMessageContaining(all.get(0).op() + " is registered twice");
        assertThatThrownBy(() -> Ops.register(Op.CONV2D, convlab.core.ConvLayer.class, SweepSampler.MAX_POOL, (s, l, layout) -> ""))
                .hasMessageContaining("conv2d's own sweep");
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void everyOpGoesThroughEveryPart(Op op) {
        Ops.Parts parts = Ops.of(op);
        int ofThisOp = 0;
        for (int i = 0; i < SAMPLES; i++) {
            String at = "op " + op + ", seed " + SEED + ", configuration " + i;
            Case c = parts.sweep().sample(SEED, i).kase();
            Layer layer = c.layers().get(0).layer();
            Ops.Parts own = Ops.of(layer.op());
            assertThat(layer).as(at).isInstanceOf(own.type());
            if (layer.op() != op) {
                continue; // the conv2d sweep's pooling layers: their own op's test walks them
            }
            ofThisOp++;
            // the case codec: written by the layer, read by the op, the same layer and case
            Case back = CaseFiles.load(CaseWriter.write(c, dir.resolve(op + "-" + i)));
            Layer read = back.layers().get(0).layer();
            assertThat(read).as(at).isEqualTo(layer);
            assertThat(back.layers().get(0).weightsLayout()).as(at).isEqualTo(c.layers().get(0).weightsLayout());
            assertThat(back.input()).as(at).isEqualTo(c.input());
            assertThat(read.forward(back.input()).activated()).as(at).isEqualTo(layer.forward(c.input()).activated());
            assertThat(CaseFields.COMMON).as(at).doesNotContainAnyElementsOf(op.fields());

            // its words, explainer and lesson text
            int[] shape = c.input().shape();
            OpGeometry g = layer.geometry(shape);
            assertThat(g.op()).as(at).isEqualTo(op);
            String words = layer.describe(g);
            assertThat(words).as(at).isNotBlank().isEqualTo(Describe.layer(g, layer));
            assertThat(layer.describeUnapplied()).as(at).isNotBlank().isNotEqualTo(words);
            String explained = parts.explain(shape, layer, c.layout());
            assertThat(explained).as(at).contains(Tensor.shapeString(new int[] {g.outputShape()[2], g.outputShape()[3]}).replace(", ", "x")
                    .replaceAll("[\\[\\]]", ""));
            assertThat(layer.formula()).as(at).isNotBlank();
            assertThat(layer.intro(g)).as(at).isNotEmpty().allSatisfy(line -> assertThat(line).isNotBlank());

            // channels read and the caption
            int channels = shape[1];
            int outputs = g.outputShape()[1];
            for (int oc = 0; oc < outputs; oc++) {
                List<Integer> reads = layer.reads(oc, channels);
                assertThat(reads).as(at + ", output channel " + oc).isNotEmpty().allSatisfy(ic -> assertThat(ic).isBetween(0, channels - 1));
                if (!layer.sumsProducts()) {
                    assertThat(reads).as(at).containsExactly(oc);
                }
                assertThat(layer.makes(oc, "channel 0 of the input")).as(at).contains("channel 0 of the input");
            }
            // the taps of output [0][oc][0][0] read only the channels reads() names (when there is an output)
            if (g.outputShape()[2] > 0 && g.outputShape()[3] > 0 && g.outputShape()[0] > 0) {
                for (int oc = 0; oc < outputs; oc++) {
                    List<Integer> reads = layer.reads(oc, channels);
                    assertThat(layer.taps(c.input(), 0, oc, 0, 0)).as(at).allSatisfy(t -> assertThat(reads).contains(t.c()));
                }
            }

            // its backward pass, through the one entry point
            Tensor dy = Tensor.fill(convlab.core.DType.FLOAT64, g.outputShape(), idx -> 1.0);
            Gradients grads = Backward.of(layer, c.input().as(convlab.core.DType.FLOAT64), dy);
            assertThat(grads.gradInput().shape()).as(at).isEqualTo(shape);
            assertThat(grads.gradWeights() == null).as(at).isEqualTo(layer.weights() == null);
            if (layer.weights() != null) {
                assertThat(grads.gradWeights().shape()).as(at).isEqualTo(layer.weights().shape());
            }
        }
        assertThat(ofThisOp).as("%s's sweep, seed %d: configurations of %s among the first %d", op, SEED, op, SAMPLES).isPositive();
    }
}
