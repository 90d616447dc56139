/**
 * The TensorFlow Java backend (the fast trainer). Not implemented yet: a later issue fills this module. Depends on the
 * API module only, never on another backend.
 */
package io.github.recurra.tensorflow;
