package io.github.recurra.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which kernels the CPU backend's products and activations run on, chosen once per JVM: the Vector API kernels
 * ({@link VectorGemm}, {@link VectorAct}) when the JVM was started with {@code --add-modules jdk.incubator.vector},
 * else EJML's products and the scalar activations. The system property {@value #PROPERTY}{@code =false} picks the
 * scalar kernels on purpose (tests compare the two).
 *
 * <p>Without the module the scalar path is taken silently as far as results go (they agree within rounding), but it is
 * several times slower, so the first CPU backend of such a JVM logs {@link #WARNING} once at WARN; a scalar choice
 * made with the property is logged at DEBUG only.
 *
 * @param vector        whether the Vector API kernels were chosen
 * @param vectorBits    the preferred float species' width in bits when {@code vector}, else 0
 * @param moduleMissing whether the scalar kernels were chosen because the module {@code jdk.incubator.vector} is
 *                      absent (not on purpose)
 */
record Kernels(boolean vector, int vectorBits, boolean moduleMissing) {
    /** The system property that turns the Vector API kernels off when {@code false}. */
    static final String PROPERTY = "recurra.cpu.simd";
    /** The module the Vector API kernels need. */
    static final String MODULE = "jdk.incubator.vector";
    /** What the first CPU backend of a JVM without the module logs (once). */
    static final String WARNING = "the cpu backend runs on its scalar kernels (EJML products, scalar activations), "
            + "several times slower than its Vector API kernels, because this JVM was started without the module "
            + MODULE + ": add --add-modules " + MODULE + " to the java command line (or to JDK_JAVA_OPTIONS, "
            + "MAVEN_OPTS or surefire's argLine), see the README section \"Vector API\"; to choose the scalar "
            + "kernels on purpose and not see this, set -D" + PROPERTY + "=false";

    private static final Logger LOG = LoggerFactory.getLogger(CpuBackend.class);

    /** The choice of this JVM. */
    static final Kernels CHOSEN = select(ModuleLayer.boot().findModule(MODULE).isPresent(),
            System.getProperty(PROPERTY), () -> VectorGemm.bits());

    /** Set once the warning was logged in this JVM. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /**
     * The selection, as a function of what it reads.
     *
     * @param modulePresent whether the JVM has the module {@code jdk.incubator.vector}
     * @param property      the value of {@value #PROPERTY}, or null when unset
     * @param bits          the preferred species width; called only when the Vector API kernels are chosen (it loads
     *                      Vector API classes)
     * @return the kernels
     */
    static Kernels select(boolean modulePresent, String property, IntSupplier bits) {
        if (property != null && "false".equalsIgnoreCase(property.trim())) {
            return new Kernels(false, 0, false);
        }
        if (!modulePresent) {
            return new Kernels(false, 0, true);
        }
        return new Kernels(true, bits.getAsInt(), false);
    }

    /** Logs this JVM's choice for a new backend: the warning the first time it applies, else at DEBUG. */
    static void announce() {
        if (!warnOnce(CHOSEN, WARNED, LOG) && !CHOSEN.vector()) {
            LOG.debug("the cpu backend runs on its scalar kernels ({})", CHOSEN.moduleMissing()
                    ? "no module " + MODULE : "-D" + PROPERTY + "=false");
        }
    }

    /**
     * Logs {@link #WARNING} at WARN if {@code kernels} are scalar for lack of the module and {@code once} is not set
     * yet; sets it.
     *
     * @param kernels the choice
     * @param once    set by the first warning (modified)
     * @param log     where to log
     * @return whether it logged
     */
    static boolean warnOnce(Kernels kernels, AtomicBoolean once, Logger log) {
        if (kernels.moduleMissing() && once.compareAndSet(false, true)) {
            log.warn(WARNING);
            return true;
        }
        return false;
    }
}
