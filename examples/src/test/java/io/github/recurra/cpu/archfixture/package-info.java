/**
 * Rule fixtures for {@code ArchitectureRulesTest} in a backend package: a compliant backend layout (module, provider,
 * package-private internals using EJML) plus classes that break the rules on purpose.
 */
package io.github.recurra.cpu.archfixture;
