package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendDescriptionTest {

    @Test
    void sortsCopiesAndPrintsOneLine() {
        Map<String, String> given = new HashMap<>(Map.of("threads", "2", "kernels", "vector", "vector.bits", "256",
                "cpu.model", "AMD EPYC"));
        BackendDescription d = new BackendDescription("cpu", given);
        given.put("threads", "9");
        assertEquals(List.of("cpu.model", "kernels", "threads", "vector.bits"), List.copyOf(d.properties().keySet()));
        assertEquals(Optional.of("2"), d.get(BackendDescription.THREADS));
        assertEquals(Optional.empty(), d.get(BackendDescription.ONEDNN));
        assertEquals("cpu cpu.model=\"AMD EPYC\" kernels=vector threads=2 vector.bits=256", d.toString());
        assertThrows(UnsupportedOperationException.class, () -> d.properties().put("x", "y"));
        assertEquals(new BackendDescription("cpu", Map.of("kernels", "vector", "threads", "2", "vector.bits", "256",
                "cpu.model", "AMD EPYC")), d);
    }

    @Test
    void refusesWhatIsNotADescription() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new BackendDescription(" ", Map.of()));
        assertTrue(blank.getMessage().contains("Backend.name()"), blank.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> new BackendDescription("cpu", Map.of("Vector Bits", "256")));
        assertTrue(key.getMessage().contains("'Vector Bits'") && key.getMessage().contains("vector.bits"),
                key.getMessage());
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("threads", null);
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> new BackendDescription("cpu", nullValue));
        assertTrue(value.getMessage().contains("'threads'"), value.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BackendDescription("cpu", null));
    }

    @Test
    void theDefaultDescriptionIsTheNameAlone() {
        Backend quiet = new Backend() {
            @Override
            public String name() {
                return "quiet";
            }

            @Override
            public Set<Capability> capabilities() {
                return Set.of();
            }

            @Override
            public Model compile(Network network, Parameters parameters) {
                throw new UnsupportedOperationException("not needed here");
            }
        };
        assertEquals(new BackendDescription("quiet", Map.of()), quiet.describe());
        assertEquals("quiet", quiet.describe().toString());
    }
}
