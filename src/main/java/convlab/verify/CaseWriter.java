package convlab.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.ConvSpec;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.io.AtomicFiles;
import convlab.io.Case;
import convlab.io.Npy;
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
            Npy.write(dir.resolve("weights" + suffix + ".npy"), step.weightsLayout().fromOihw(step.layer().weights()));
            l.put("weights", "weights" + suffix + ".npy").put("weightsLayout", step.weightsLayout().toString());
            if (step.layer().bias() != null) {
                Npy.write(dir.resolve("bias" + suffix + ".npy"), step.layer().bias());
                l.put("bias", "bias" + suffix + ".npy");
            }
            if (step.expected() != null) {
                Npy.write(dir.resolve("expected" + suffix + ".npy"), c.layout().fromNchw(step.expected()));
                l.put("expected", "expected" + suffix + ".npy");
            }
            ConvSpec s = step.layer().spec();
            hw(l, "stride", s.stride());
            hw(l, "dilation", s.dilation());
            l.put("groups", s.groups());
            Padding p = s.padding();
            switch (p.kind()) {
                case VALID -> l.put("padding", "valid");
                case SAME -> l.put("padding", "same");
                case EXPLICIT -> l.putArray("padding").add(p.top()).add(p.bottom()).add(p.left()).add(p.right());
            }
            l.put("paddingMode", s.paddingMode().toString()).put("activation", s.activation().toString());
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

    private static void hw(ObjectNode n, String key, Hw v) {
        if (v.h() == v.w()) {
            n.put(key, v.h());
        } else {
            n.putArray(key).add(v.h()).add(v.w());
        }
    }
}
