package io.github.recurra.api.fuzz;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * What every reader of outside bytes must do with any input, checked by the fuzz tests: return, or throw one of the
 * exception types its Javadoc documents with a message that says something; never throw anything else (an
 * {@code ArrayIndexOutOfBoundsException}, a {@code NegativeArraySizeException}, an {@code OutOfMemoryError}); and
 * allocate no more than a bound proportional to the input, so that no size declared inside the input is allocated
 * before it has been checked against the bytes that are there.
 *
 * <p>The allocation is measured with the JDK's per-thread allocation counter ({@code com.sun.management}), which
 * counts every object the reading thread allocates, garbage included. A read over the bound is run once more and
 * judged by its second run: a first run can pay once for what is not the reader's (classes initialised, the fuzzer's
 * bookkeeping), while an allocation the input causes repeats.
 */
public final class FuzzContract {
    /** Bytes any read may allocate beyond {@link #PER_INPUT_BYTE} per input byte: parsers' fixed buffers. */
    public static final long BASE_ALLOCATION = 32L << 20;
    /**
     * Bytes a read may allocate per byte of input: copies of the input, the decoded values (a float per 4 bytes),
     * strings of its text (two bytes a character), the objects made of them.
     */
    public static final long PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzContract() {
    }

    /**
     * Runs one read of an input and checks the contract.
     *
     * @param inputBytes the input's size, for the allocation bound
     * @param read       the read
     * @param refusals   the exception types the reader documents for bad input
     * @return what the read returned, or null if it refused the input
     * @throws AssertionError if the read threw anything else, threw without a message, or allocated more than
     *                        {@link #BASE_ALLOCATION} + {@link #PER_INPUT_BYTE} × inputBytes (twice in a row)
     */
    @SafeVarargs
    public static <T> T readsOrRefuses(long inputBytes, Supplier<T> read,
            Class<? extends RuntimeException>... refusals) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result = null;
        try {
            result = read.get();
        } catch (RuntimeException e) {
            if (!documented(e, refusals)) {
                throw new AssertionError("the reader threw an undocumented " + e.getClass().getName(), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("the reader refused the input without a message", e);
            }
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long bound = BASE_ALLOCATION + PER_INPUT_BYTE * inputBytes;
        if (allocated > bound) {
            // once more: what a first run allocates once (classes initialised, the fuzzer's own bookkeeping when it
            // switches from fuzzing to replaying seeds) is not the reader's; an allocation the input causes repeats
            before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                read.get();
            } catch (RuntimeException e) {
                // already judged above
            }
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        if (allocated > bound) {
            throw new AssertionError("reading " + inputBytes + " bytes allocated " + allocated + " bytes, more than "
                    + "the bound of " + bound + ": a size declared in the input was probably allocated before it was "
                    + "checked");
        }
        return result;
    }

    private static boolean documented(RuntimeException e, Class<? extends RuntimeException>[] refusals) {
        for (Class<? extends RuntimeException> c : refusals) {
            if (c.isInstance(e)) {
                return true;
            }
        }
        return false;
    }
}
