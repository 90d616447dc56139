package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import io.github.recurra.api.spi.Backends;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The machine line, from made-up {@code /proc/cpuinfo} texts of the CPU kinds that matter, and from this JVM. */
class MachineTest {
    /** Two processors of an AVX-512 CPU, abridged from a real {@code /proc/cpuinfo}. */
    static final String AVX512 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R14 96-Core Processor
            flags\t\t: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl
            
            processor\t: 1
            model name\t: AMD EPYC 9R14 96-Core Processor
            flags\t\t: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl
            """;
    /** AVX2 and an AVX-512 extension flag without AVX-512 Foundation (which alone does not count). */
    static final String AVX2 = """
            processor\t: 0
            model name\t: AMD EPYC
            flags\t\t: fpu sse2 avx avx2 fma avx512_bf16_lookalike
            """;
    static final String NONE = """
            processor\t: 0
            model name\t: Intel(R) Atom(TM) CPU "N270"
            flags\t\t: fpu sse sse2 ssse3
            """;

    @Test
    void readsModelAndWidestSimd() {
        assertEquals(new Machine("AMD EPYC 9R14 96-Core Processor", Machine.Simd.AVX512, 512, 2, "17.0.13", "amd64"),
                Machine.of(AVX512, 512, 2, "17.0.13", "amd64"));
        assertEquals("MACHINE cpu=\"AMD EPYC\" simd=avx2 vector_bits=256 threads=2 java=17.0.13 arch=amd64",
                Machine.of(AVX2, 256, 2, "17.0.13", "amd64").line());
        Machine old = Machine.of(NONE, 0, 1, "17.0.2", "i386");
        assertEquals("MACHINE cpu=\"Intel(R) Atom(TM) CPU 'N270'\" simd=none vector_bits=0 threads=1 java=17.0.2 "
                + "arch=i386", old.line());
        assertEquals("Intel(R) Atom(TM) CPU \"N270\" (no AVX2), no Vector API, 1 processors, Java 17.0.2",
                old.summary());
        assertEquals("AMD EPYC (AVX2), Vector API 256 bits, 2 processors, Java 17.0.13",
                Machine.of(AVX2, 256, 2, "17.0.13", "amd64").summary());
        assertEquals(new Machine("unknown", Machine.Simd.NONE, 0, 4, "17", "aarch64"),
                Machine.of("", 0, 4, "17", "aarch64"));
    }

    /** Surefire runs with the Vector API module, so the width is the one the cpu backend's kernels use. */
    @Test
    void detectsThisMachine() {
        Machine m = Machine.detect();
        try (Backend cpu = Backends.named("cpu")) {
            assertEquals(cpu.describe().get(BackendDescription.VECTOR_BITS).orElseThrow(),
                    Integer.toString(m.vectorBits()));
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), m.threads());
        assertEquals(System.getProperty("java.version"), m.java());
        assertTrue(Pattern.matches("MACHINE cpu=\"[^\"]+\" simd=(avx512|avx2|none) vector_bits=\\d+ threads=\\d+ "
                + "java=\\S+ arch=\\S+", m.line()), m.line());
    }
}
