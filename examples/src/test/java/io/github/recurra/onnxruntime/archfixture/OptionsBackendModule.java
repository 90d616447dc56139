package io.github.recurra.onnxruntime.archfixture;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.github.recurra.api.spi.Backend;

/** Compliant: a backend's public Guice module whose constructor takes its public nested options. */
public final class OptionsBackendModule extends AbstractModule {
    private final Options options;

    /** @param options the backend's settings */
    public OptionsBackendModule(Options options) {
        this.options = options;
    }

    @Provides
    Backend backend() {
        throw new UnsupportedOperationException("fixture " + options);
    }

    /** Compliant: the module's options, public because its constructor takes them. */
    public record Options(int threads, Level level) {
    }

    /** Compliant: a value of the options. */
    public enum Level {
        LOW, HIGH
    }
}
