package io.github.recurra.conformance.archfixture;

/** Violates: library code that writes to standard error and prints a stack trace there. */
final class ConformancePrintingErrors {
    void fail(RuntimeException e) {
        System.err.println("check failed");
        e.printStackTrace();
    }
}
