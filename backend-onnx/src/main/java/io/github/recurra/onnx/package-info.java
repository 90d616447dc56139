/**
 * The ONNX Runtime backend (inference and deployment) and ONNX export/import. Not implemented yet: a later issue fills
 * this module. Depends on the API module only, never on another backend.
 */
package io.github.recurra.onnx;
