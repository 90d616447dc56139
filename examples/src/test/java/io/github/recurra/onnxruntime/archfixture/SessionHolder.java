package io.github.recurra.onnxruntime.archfixture;

/** A package-private implementation class whose nested type is public by mistake. */
final class SessionHolder {
    private SessionHolder() {
    }

    /** Violates: public, nested in a class that is not the backend's Guice module. */
    public static final class PublicNested {
    }
}
