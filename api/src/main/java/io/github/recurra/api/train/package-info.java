/**
 * The backend-agnostic training loop ({@link io.github.recurra.api.train.Trainer}): budgets, seeded shuffling, steps
 * through the model's {@link io.github.recurra.api.spi.TrainingSession}, truncated BPTT
 * ({@link io.github.recurra.api.train.TruncatedBptt}), checkpoints ({@link io.github.recurra.api.train.Checkpoint}),
 * metrics, evaluation, and a clear stop on a non-finite loss; and the feedback of a run: its history
 * ({@link io.github.recurra.api.train.TrainingHistory} of step, epoch and validation reports), validation scoring
 * ({@link io.github.recurra.api.train.ValidationSchedule}), listeners and the control they get
 * ({@link io.github.recurra.api.train.TrainingListener}, {@link io.github.recurra.api.train.TrainingControl}), and
 * ready-made callbacks ({@link io.github.recurra.api.train.EarlyStopping},
 * {@link io.github.recurra.api.train.BestModelCheckpoint},
 * {@link io.github.recurra.api.train.ReduceLearningRateOnPlateau}, {@link io.github.recurra.api.train.CsvLog}).
 * Depends on {@code spi}, {@code optim}, {@code io}, {@code model}, {@code data}, {@code param} and {@code tensor},
 * and (in {@code CsvLog} only) on Apache Commons CSV.
 */
package io.github.recurra.api.train;
