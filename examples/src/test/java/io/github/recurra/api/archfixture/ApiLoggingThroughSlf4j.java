package io.github.recurra.api.archfixture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compliant: api code that logs through the SLF4J API (the one library api may use) and prints nothing. */
final class ApiLoggingThroughSlf4j {
    private static final Logger LOG = LoggerFactory.getLogger(ApiLoggingThroughSlf4j.class);

    void step(long step, double loss) {
        LOG.debug("step {} loss {}", step, loss);
    }
}
