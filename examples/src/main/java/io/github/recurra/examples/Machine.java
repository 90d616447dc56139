package io.github.recurra.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The machine a figure was measured on, so that a reader can tell why their figure differs from the README's: the CPU
 * model, its widest SIMD instruction set among AVX-512 (flag {@code avx512f}) and AVX2, the width of the Vector API's
 * preferred float species (0 when the JVM lacks {@code --add-modules jdk.incubator.vector}), the available processors,
 * the Java version and the OS architecture.
 *
 * @param cpu        the CPU model name from {@code /proc/cpuinfo}, or {@code unknown}
 * @param simd       the widest of the instruction sets that matter here
 * @param vectorBits the Vector API's preferred float species width in bits, 0 without the module
 * @param threads    available processors
 * @param java       the Java version, for example {@code 17.0.13}
 * @param arch       the OS architecture, for example {@code amd64}
 */
record Machine(String cpu, Simd simd, int vectorBits, int threads, String java, String arch) {
    /** The SIMD instruction sets the kernels and OpenBLAS choose between. */
    enum Simd {
        /** AVX-512 Foundation ({@code avx512f}). */
        AVX512,
        /** AVX2 without AVX-512. */
        AVX2,
        /** Neither. */
        NONE
    }

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** @return this machine, from {@code /proc/cpuinfo} (when there is one) and the running JVM */
    static Machine detect() {
        String cpuinfo = "";
        try {
            if (Files.isReadable(CPUINFO)) {
                cpuinfo = Files.readString(CPUINFO);
            }
        } catch (IOException e) {
            cpuinfo = "";
        }
        return of(cpuinfo, vectorApiBits(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.arch"));
    }

    /**
     * @param cpuinfo    the text of {@code /proc/cpuinfo}, empty when unknown
     * @param vectorBits as {@link #vectorBits()}
     * @param threads    as {@link #threads()}
     * @param java       as {@link #java()}
     * @param arch       as {@link #arch()}
     * @return the machine those describe
     */
    static Machine of(String cpuinfo, int vectorBits, int threads, String java, String arch) {
        String model = "unknown";
        List<String> flags = List.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model.equals("unknown") && !value.isEmpty()) {
                model = value;
            } else if (key.equals("flags") && flags.isEmpty()) {
                flags = Arrays.asList(value.split("\\s+"));
            }
        }
        Simd simd = flags.contains("avx512f") ? Simd.AVX512 : flags.contains("avx2") ? Simd.AVX2 : Simd.NONE;
        return new Machine(model, simd, vectorBits, threads, java, arch);
    }

    /**
     * @return the width of {@code FloatVector.SPECIES_PREFERRED} in bits, read reflectively (examples compile without
     *     the incubator module), or 0 when the JVM lacks the module
     */
    static int vectorApiBits() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize")
                    .invoke(species);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * @return one line for benchmark logs, for example
     *     {@code MACHINE cpu="AMD EPYC" simd=avx2 vector_bits=256 threads=2 java=17.0.13 arch=amd64}
     */
    String line() {
        return String.format(Locale.ROOT, "MACHINE cpu=\"%s\" simd=%s vector_bits=%d threads=%d java=%s arch=%s",
                cpu.replace('"', '\''), simd.name().toLowerCase(Locale.ROOT), vectorBits, threads, java, arch);
    }

    /** @return the same in words, for example {@code AMD EPYC (AVX2), Vector API 256 bits, 2 processors, Java 17.0.13} */
    String summary() {
        return String.format(Locale.ROOT, "%s (%s), %s, %d processors, Java %s", cpu,
                simd == Simd.AVX512 ? "AVX-512" : simd == Simd.AVX2 ? "AVX2" : "no AVX2",
                vectorBits > 0 ? "Vector API " + vectorBits + " bits" : "no Vector API", threads, java);
    }
}
