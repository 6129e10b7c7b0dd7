package convlab.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import java.nio.file.Path;

/** Writes an in-memory case as a self-contained case folder ({@code case.json} + .npy files) that verify reads back. */
public final class CaseWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CaseWriter() {
    }

    public static Path write(Case c, Path dir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", c.name());
        if (!c.source().isEmpty()) {
            root.put("source", c.source());
        }
        Npy.write(dir.resolve("input.npy"), c.layout().fromNchw(c.input()));
        root.put("input", "input.npy").put("layout", c.layout().toString());
        boolean multi = c.layers().size() > 1;
        ArrayNode layers = multi ? root.putArray("layers") : null;
        for (int k = 0; k < c.layers().size(); k++) {
            Case.Step step = c.layers().get(k);
            ObjectNode l = multi ? layers.addObject() : root;
            String suffix = multi ? "-" + (k + 1) : "";
            l.put("op", step.layer().op().toString());
            switch (step.layer().op()) {
                case CONV2D -> writeConv2d(l, (ConvLayer) step.layer(), step, dir, suffix);
                case MAX_POOL2D, AVG_POOL2D -> writePool(l, (PoolLayer) step.layer());
                case CONV_TRANSPOSE2D -> writeConvTranspose2d(l, (ConvTransposeLayer) step.layer(), step, dir, suffix);
            }
            if (step.expected() != null) {
                Npy.write(dir.resolve("expected" + suffix + ".npy"), c.layout().fromNchw(step.expected()));
                l.put("expected", "expected" + suffix + ".npy");
            }
            l.put("activation", step.layer().activation().toString());
            if (step.tolerance() != null) {
                l.putObject("tolerance").put("abs", step.tolerance().abs()).put("rel", step.tolerance().rel());
            }
        }
        Path file = dir.resolve("case.json");
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static void writeConv2d(ObjectNode l, ConvLayer layer, Case.Step step, Path dir, String suffix) {
        ConvSpec s = layer.spec();
        writeWindow(l, step, dir, suffix, s.stride(), s.dilation(), s.groups(), s.padding());
        l.put("paddingMode", s.paddingMode().toString());
    }

    private static void writeConvTranspose2d(ObjectNode l, ConvTransposeLayer layer, Case.Step step, Path dir, String suffix) {
        ConvTransposeSpec s = layer.spec();
        writeWindow(l, step, dir, suffix, s.stride(), s.dilation(), s.groups(), s.padding());
        hw(l, "outputPadding", s.outputPadding());
        if (s.outputShape() != null) {
            l.putArray("outputShape").add(s.outputShape().h()).add(s.outputShape().w());
        }
    }

    /** The fields conv2d and conv_transpose2d share: weights (in the step's layout), bias, stride, dilation, groups, padding. */
    private static void writeWindow(ObjectNode l, Case.Step step, Path dir, String suffix, Hw stride, Hw dilation, int groups, Padding padding) {
        Npy.write(dir.resolve("weights" + suffix + ".npy"), step.weightsLayout().fromCore(step.layer().weights()));
        l.put("weights", "weights" + suffix + ".npy").put("weightsLayout", step.weightsLayout().toString());
        if (step.layer().bias() != null) {
            Npy.write(dir.resolve("bias" + suffix + ".npy"), step.layer().bias());
            l.put("bias", "bias" + suffix + ".npy");
        }
        hw(l, "stride", stride);
        hw(l, "dilation", dilation);
        l.put("groups", groups);
        padding(l, padding);
    }

    private static void writePool(ObjectNode l, PoolLayer layer) {
        PoolSpec s = layer.spec();
        hw(l, "kernel", s.kernel());
        hw(l, "stride", s.stride());
        padding(l, s.padding());
        if (layer.isMax()) {
            hw(l, "dilation", s.dilation());
        } else {
            l.put("countIncludePad", s.countIncludePad());
        }
        l.put("ceilMode", s.ceilMode());
    }

    /** The padding in the case-file form {@link CaseFiles} reads: a name, or {@code [top, bottom, left, right]}. */
    static void padding(ObjectNode l, Padding p) {
        if (p instanceof Padding.Explicit e) {
            l.putArray("padding").add(e.top()).add(e.bottom()).add(e.left()).add(e.right());
        } else {
            l.put("padding", p.toString());
        }
    }

    private static void hw(ObjectNode n, String key, Hw v) {
        if (v.h() == v.w()) {
            n.put(key, v.h());
        } else {
            n.putArray(key).add(v.h()).add(v.w());
        }
    }
}
