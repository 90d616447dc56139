package io.github.recurra.conformance;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;

/**
 * What a backend module tells the kit: how to make the backend under test, and (rarely) which tolerances and which
 * reference backend to use. Implement it once per backend and pass it to every area's constructor:
 *
 * <pre>{@code
 * final class MyBackendUnderTest implements BackendUnderTest {
 *     public Backend backend() { return new MyBackend(); }
 * }
 * class MyCellForwardTest extends CellForwardConformance { MyCellForwardTest() { super(new MyBackendUnderTest()); } }
 * }</pre>
 */
public interface BackendUnderTest {

    /**
     * Called once per test class; the kit closes the backend after the class's last test.
     *
     * @return a new instance of the backend under test
     */
    Backend backend();

    /**
     * The one place the kit's tolerances come from. Override only with a reason (for example a backend whose kernels
     * sum in another order); the report prints the tolerances used and marks those that differ from
     * {@link Tolerances#standard()}.
     *
     * @return the tolerances
     */
    default Tolerances tolerances() {
        return Tolerances.standard();
    }

    /**
     * The backend cross-backend checks compare with. By default the reference CPU backend, found by name through
     * {@link Backends}: put {@code io.github.recurra:recurra-backend-cpu} on the test classpath, or those checks fail
     * saying so. Return null to run without them; they are then skipped, and the report says why. Called at most
     * once per test class; the kit closes the backend after the class's last test.
     *
     * @return a new instance of the reference backend, or null for none
     * @throws IllegalArgumentException if it is not on the classpath
     */
    default Backend reference() {
        return Backends.named("cpu");
    }
}
