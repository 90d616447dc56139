/**
 * Rule fixtures for {@code ArchitectureRulesTest}: classes in an api package, some breaking the module rules on
 * purpose. Test sources only, so the production-code check ({@code ArchitectureTest}) never sees them.
 */
package io.github.recurra.api.archfixture;
