/**
 * Rule fixtures for {@code ArchitectureRulesTest} in an examples package (and, in sub-packages, package-cycle and
 * injection fixtures). Test sources only, so the production-code check ({@code ArchitectureTest}) never sees them.
 */
package io.github.recurra.examples.archfixture;
