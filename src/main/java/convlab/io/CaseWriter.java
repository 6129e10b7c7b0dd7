package convlab.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.CaseFields;
import convlab.core.Hw;
import convlab.core.Padding;
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
            step.layer().write(new Fields(l, step, dir, suffix));
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

    /** One layer's fields into its JSON object; its weights and bias into .npy files beside it. */
    private record Fields(ObjectNode l, Case.Step step, Path dir, String suffix) implements CaseFields.Writer {

        /** The weights in the step's layout, and the bias. */
        @Override
        public void parameters() {
            Npy.write(dir.resolve("weights" + suffix + ".npy"), step.weightsLayout().fromCore(step.layer().weights()));
            l.put("weights", "weights" + suffix + ".npy").put("weightsLayout", step.weightsLayout().toString());
            if (step.layer().bias() != null) {
                Npy.write(dir.resolve("bias" + suffix + ".npy"), step.layer().bias());
                l.put("bias", "bias" + suffix + ".npy");
            }
        }

        @Override
        public void hw(String field, Hw v) {
            CaseWriter.hw(l, field, v);
        }

        @Override
        public void pair(String field, Hw v) {
            l.putArray(field).add(v.h()).add(v.w());
        }

        @Override
        public void integer(String field, int v) {
            l.put(field, v);
        }

        @Override
        public void bool(String field, boolean v) {
            l.put(field, v);
        }

        @Override
        public void text(String field, String v) {
            l.put(field, v);
        }

        /** The form {@link CaseFiles} reads: a name, or {@code [top, bottom, left, right]}. */
        @Override
        public void padding(String field, Padding p) {
            if (p instanceof Padding.Explicit e) {
                l.putArray(field).add(e.top()).add(e.bottom()).add(e.left()).add(e.right());
            } else {
                l.put(field, p.toString());
            }
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
