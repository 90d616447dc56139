package io.github.recurra.examples.archfixture.acyclic.lower;

/** Compliant: lower depends on nothing in upper. */
public class Lower {
    int value;
}
