package io.github.recurra.api.archfixture;

import com.google.inject.Key;
import io.github.recurra.api.spi.Backend;

/** Violates: api uses Guice. */
class ApiUsingGuice {
    Key<Backend> key = Key.get(Backend.class);
}
