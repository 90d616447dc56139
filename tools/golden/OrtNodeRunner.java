// Runs single-node ONNX models through ONNX Runtime for tools/golden/generate_golden.py.
//
// Not part of the build: it is launched as a single source file, with the ONNX Runtime
// Java jar (com.microsoft.onnxruntime:onnxruntime:1.28.0) as the only class path entry:
//
//     java -cp onnxruntime-1.28.0.jar tools/golden/OrtNodeRunner.java <dir>
//
// <dir>/manifest.txt, written by the Python script, has one directive per line:
//
//     model <case> <file.onnx>               starts a case
//     in <name> f32|i32 <file> <d0,d1,...>   an input tensor, raw little-endian values
//     out <name>                             an output to fetch
//     run                                    runs the case
//
// For every fetched output the runner writes <case>.<name>.out (raw little-endian float32)
// and a line "<case> <name> <file> <d0,d1,...>" in <dir>/results.txt. The ONNX Runtime
// version goes to <dir>/ort_version.txt. Sessions use one thread and no graph
// optimizations, so each case is the operator's CPU kernel on its own.

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class OrtNodeRunner {

    private OrtNodeRunner() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        if (args.length != 1) {
            System.err.println("usage: java -cp <onnxruntime jar> OrtNodeRunner.java <dir>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(dir.resolve("manifest.txt"), StandardCharsets.UTF_8);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Files.writeString(dir.resolve("ort_version.txt"), env.getVersion() + "\n", StandardCharsets.UTF_8);

        StringBuilder results = new StringBuilder();
        String caseName = null;
        String modelFile = null;
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tok = line.split("\\s+");
            switch (tok[0]) {
                case "model":
                    caseName = tok[1];
                    modelFile = tok[2];
                    inputs.clear();
                    outputs.clear();
                    break;
                case "in":
                    inputs.put(tok[1], readTensor(env, dir.resolve(tok[3]), tok[2], parseShape(tok[4])));
                    break;
                case "out":
                    outputs.add(tok[1]);
                    break;
                case "run":
                    runCase(env, dir, caseName, modelFile, inputs, outputs, results);
                    for (OnnxTensor t : inputs.values()) {
                        t.close();
                    }
                    inputs.clear();
                    break;
                default:
                    throw new IllegalArgumentException("bad manifest line: " + line);
            }
        }
        Files.writeString(dir.resolve("results.txt"), results.toString(), StandardCharsets.UTF_8);
    }

    private static void runCase(OrtEnvironment env, Path dir, String caseName, String modelFile,
                                Map<String, OnnxTensor> inputs, List<String> outputs,
                                StringBuilder results) throws IOException, OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(dir.resolve(modelFile).toString(), opts);
                 OrtSession.Result res = session.run(inputs)) {
                for (String name : outputs) {
                    OnnxValue value = res.get(name).orElseThrow(
                        () -> new IllegalStateException(caseName + ": no output " + name));
                    OnnxTensor tensor = (OnnxTensor) value;
                    long[] shape = tensor.getInfo().getShape();
                    FloatBuffer fb = tensor.getFloatBuffer();
                    ByteBuffer bytes = ByteBuffer.allocate(fb.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(fb);
                    String file = caseName + "." + name + ".out";
                    Files.write(dir.resolve(file), bytes.array());
                    results.append(caseName).append(' ').append(name).append(' ').append(file).append(' ')
                        .append(joinShape(shape)).append('\n');
                }
            }
        }
    }

    private static OnnxTensor readTensor(OrtEnvironment env, Path file, String type, long[] shape)
            throws IOException, OrtException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long count = Arrays.stream(shape).reduce(1L, (a, b) -> a * b);
        if (bytes.remaining() != count * 4) {
            throw new IllegalArgumentException(file + ": " + bytes.remaining() + " bytes for shape "
                + Arrays.toString(shape));
        }
        switch (type) {
            case "f32":
                return OnnxTensor.createTensor(env, bytes.asFloatBuffer(), shape);
            case "i32":
                return OnnxTensor.createTensor(env, bytes.asIntBuffer(), shape);
            default:
                throw new IllegalArgumentException("unknown tensor type " + type);
        }
    }

    private static long[] parseShape(String s) {
        return Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static String joinShape(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.toString();
    }
}
