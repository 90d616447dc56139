package io.github.recurra.cpu.archfixture;

import com.google.inject.Injector;

/** Violates: Guice in a backend class that is not its Guice module. */
final class KernelUsingGuice {
    Injector injector;
}
