/** Charts the command-line tool writes: line charts as PNG files through XChart. */
package io.github.recurra.examples.plot;
