package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recurra export}: the file it writes (read with the ONNX protobuf classes, which tests may use), what it
 * prints about it, its options and its errors.
 */
class ExportCommandTest {
    @TempDir
    Path dir;

    /** The graph's inputs or outputs as the export command prints them, read from the protobuf itself. */
    private static String describe(List<ValueInfoProto> values) {
        return values.stream().map(v -> {
            int type = v.getType().getTensorType().getElemType();
            String t = type == TensorProto.DataType.FLOAT.getNumber() ? "float"
                    : type == TensorProto.DataType.INT32.getNumber() ? "int32" : "type " + type;
            List<String> dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
                dims.add(d.hasDimParam() ? d.getDimParam() : String.valueOf(d.getDimValue()));
            }
            return v.getName() + " " + t + " [" + String.join(", ", dims) + "]";
        }).collect(Collectors.joining(", "));
    }

    private Path save(Network network, long seed) {
        Path f = dir.resolve("m.recurra");
        ModelFile.of(network, TestModels.parameters(network, seed)).save(f);
        return f;
    }

    @Test
    void printsTheInputsAndOutputsTheFileDeclares() throws IOException {
        Map<String, Network> networks = TestModels.all();
        networks.put("stacked_lstm_initial_c", Network.builder(TestModels.FEATURES)
                .layer(Sequence.builder(LstmCell.of(3)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.of(LstmCell.of(2))).build());
        List<List<String>> flags = List.of(List.of(), List.of("--lengths"), List.of("--states"),
                List.of("--lengths", "--states"));
        for (Map.Entry<String, Network> e : networks.entrySet()) {
            Path model = save(e.getValue(), 1);
            for (List<String> f : flags) {
                Path out = dir.resolve(e.getKey() + f.size() + ".onnx");
                String[] args = Stream.concat(Stream.of("export", "--model", model.toString(), "--output",
                        out.toString()), f.stream()).toArray(String[]::new);
                CliRun r = CliRun.of(args);
                assertEquals(0, r.code(), r.toString());
                ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(out));
                String what = e.getKey() + " " + f;
                assertTrue(r.out().contains("  inputs:  " + describe(proto.getGraph().getInputList())
                        + System.lineSeparator()), what + "\n" + r.out());
                assertTrue(r.out().contains("  outputs: " + describe(proto.getGraph().getOutputList())
                        + System.lineSeparator()), what + "\n" + r.out());
                assertEquals(f.contains("--lengths"), r.out().contains("sequence_lens int32 [batch]"), what);
                assertEquals(f.contains("--states"), r.out().contains("initial_h.0 float ["), what);
                assertEquals(f.contains("--states"), r.out().contains("final_h.0 float ["), what);
            }
        }
    }

    @Test
    void writesTheOpsetAskedForAndReadsBackTheSameModel() throws IOException {
        Network network = TestModels.all().get("stacked_bidirectional_classifier");
        Path model = save(network, 2);
        Parameters p = ModelFile.load(model).parameters();
        for (int opset : new int[] {11, 14, 17}) {
            Path out = dir.resolve("o" + opset + ".onnx");
            CliRun r = CliRun.of("export", "--model", model.toString(), "--output", out.toString(), "--opset",
                    String.valueOf(opset));
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("Wrote ONNX file " + out + " (opset " + opset + ") from Recurra model file "
                    + model), r.out());
            ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(out));
            assertEquals(opset, proto.getOpsetImport(0).getVersion());
            OnnxModel back = OnnxFormat.read(out);
            assertEquals(network, back.network());
            for (String name : p.names()) {
                assertArrayEquals(p.get(name).data(), back.parameters().get(name).data(), name);
            }
        }
        // the default, and an ONNX file as the model (read, then written again)
        CliRun again = CliRun.of("export", "--model", dir.resolve("o17.onnx").toString(), "--output",
                dir.resolve("again.onnx").toString());
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("(opset 11) from ONNX file " + dir.resolve("o17.onnx") + " (producer "
                + "recurra)"), again.out());
        assertEquals(network, OnnxFormat.read(dir.resolve("again.onnx")).network());
    }

    @Test
    void badOptionsAndFilesAreRejectedWithoutWriting() throws IOException {
        Path model = save(TestModels.all().get("per_step_regressor"), 3);
        Path out = dir.resolve("x.onnx");
        CliRun opset = CliRun.of("export", "--model", model.toString(), "--output", out.toString(), "--opset", "9");
        assertEquals(2, opset.code(), opset.toString());
        assertTrue(opset.err().contains("opset must be between 11 and 17 but was 9"), opset.err());
        CliRun noDir = CliRun.of("export", "--model", model.toString(), "--output",
                dir.resolve("absent/x.onnx").toString());
        assertEquals(2, noDir.code(), noDir.toString());
        assertTrue(noDir.err().contains("directory " + dir.resolve("absent") + " does not exist"), noDir.err());
        CliRun noModel = CliRun.of("export", "--model", dir.resolve("absent.recurra").toString(), "--output",
                out.toString());
        assertEquals(2, noModel.code(), noModel.toString());
        assertTrue(noModel.err().contains("does not exist"), noModel.err());
        Path broken = dir.resolve("broken.recurra");
        byte[] b = Files.readAllBytes(model);
        Files.write(broken, java.util.Arrays.copyOf(b, b.length / 2));
        CliRun truncated = CliRun.of("export", "--model", broken.toString(), "--output", out.toString());
        assertEquals(2, truncated.code(), truncated.toString());
        assertTrue(truncated.err().contains("model file " + broken + " is truncated"), truncated.err());
        CliRun missing = CliRun.of("export", "--model", model.toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("Missing required option: '--output=FILE.onnx|DIR'"), missing.err());
        assertTrue(Files.notExists(out));
    }
}
