package io.github.recurra.examples.archfixture.cycle.b;

import io.github.recurra.examples.archfixture.cycle.a.CycleA;

/** Violates: package cycle b -> a -> b. */
public class CycleB {
    CycleA a;
}
