package io.github.recurra.api.archfixture;

import io.github.recurra.api.cell.LstmCell;
import java.util.ArrayList;
import java.util.List;

/** Compliant: api code that uses only the JDK and api (arrays, generics, lambdas, records). */
final class ApiUsingJdkOnly {
    record Shape(int rows, int cols) {
    }

    final List<float[]> tensors = new ArrayList<>();
    final LstmCell cell = LstmCell.builder(4).build();

    int total() {
        return tensors.stream().mapToInt(t -> t.length).sum() + new Shape(1, 2).rows();
    }
}
