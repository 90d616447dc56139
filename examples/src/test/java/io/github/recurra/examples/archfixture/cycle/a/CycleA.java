package io.github.recurra.examples.archfixture.cycle.a;

import io.github.recurra.examples.archfixture.cycle.b.CycleB;

/** Violates: package cycle a -> b -> a. */
public class CycleA {
    CycleB b;
}
