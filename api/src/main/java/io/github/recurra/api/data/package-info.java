/**
 * Datasets of float sequences {@code [batch, time, features]} with class labels, batches, seeded shuffling, splits,
 * the IDX file format and MNIST / Fashion-MNIST read as row sequences. Depends on {@code tensor}.
 */
package io.github.recurra.api.data;
