package io.github.recurra.examples.archfixture.acyclic.upper;

import io.github.recurra.examples.archfixture.acyclic.lower.Lower;

/** Compliant: upper depends on lower, not back. */
public class Upper {
    Lower lower;
}
