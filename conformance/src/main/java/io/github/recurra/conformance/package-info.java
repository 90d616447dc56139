/**
 * The conformance kit: golden vectors computed by implementations Recurra did not write (ONNX's numpy reference,
 * PyTorch), shipped as resources under {@code io/github/recurra/conformance/golden/}, and readers for them. The
 * generator is {@code tools/golden/generate_golden.py} in the repository. Depends on the API module and Gson.
 */
package io.github.recurra.conformance;
