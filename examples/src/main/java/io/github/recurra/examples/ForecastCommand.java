package io.github.recurra.examples;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.io.AtomicFiles;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.TrainingControl;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.examples.data.NpmDatasets;
import io.github.recurra.examples.forecast.Baselines;
import io.github.recurra.examples.forecast.Cadence;
import io.github.recurra.examples.forecast.Errors;
import io.github.recurra.examples.forecast.Forecaster;
import io.github.recurra.examples.forecast.Series;
import io.github.recurra.examples.plot.HistoryFiles;
import io.github.recurra.examples.plot.Plots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Forecasts a real series from the vega-datasets package (monthly CO2 at Mauna Loa, or Seattle's daily maximum
 * temperature) with a recurrent network, and scores it against the seasonal naive forecast on a held-out final
 * period. See {@link Forecaster} for the model and the two forecasting modes.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forecast a real time series with a recurrent network and compare it with the seasonal naive "
            + "forecast on the held-out last part.",
            "",
            "co2: monthly mean CO2 at Mauna Loa (ppm, column CO2), from 1964-05 (the rows before have gaps); the "
                + "last 120 months are held out. The network reads the monthly change.",
            "seattle-weather: the daily maximum temperature in Seattle (degrees C, column temp_max), 2012-2015; "
                + "the last 365 days are held out. The network reads the temperature itself.",
            "",
            "Both read the time of year as sin/cos features and are trained, without early stopping, on windows "
                + "of the training part (no validation part).",
            "one-step: each held-out value forecast from the true history before it; baselines: seasonal naive "
                + "(the value one year earlier: 12 months or 365 days) and persistence (the value the step before).",
            "multi-step: every held-out value forecast from the end of the training part only, the network fed its "
                + "own forecasts through a stream; baseline: seasonal naive (the last training year repeated).",
            "",
            "The last line reports the multi-step mode over the whole held-out period against seasonal naive:",
            "FORECAST dataset=<name> horizon=<held-out steps> mae=<x> rmse=<y> baseline_mae=<z> baseline_rmse=<w>",
            "",
            "Reads co2-concentration.csv or seattle-weather.csv from ~/.cache/recurra/vega-datasets (fetched on first "
                + "use) "
                + "(vega-datasets@3.2.1, data/) unless --file is given."})
final class ForecastCommand implements Runnable {

    /** The two datasets and how each is modelled. */
    enum Data {
        CO2("co2", "co2-concentration.csv", "Date", "CO2", Cadence.MONTHLY, "monthly mean CO2 at Mauna Loa", "ppm",
                120, 24, Forecaster.Transform.DIFFERENCE, 1),
        SEATTLE_WEATHER("seattle-weather", "seattle-weather.csv", "date", "temp_max", Cadence.DAILY,
                "daily maximum temperature in Seattle", "°C", 365, 60, Forecaster.Transform.LEVEL, 4);

        final String id;
        final String file;
        final String dateColumn;
        final String valueColumn;
        final Cadence cadence;
        final String title;
        final String unit;
        final int heldOut;
        final int warmUp;
        final Forecaster.Transform transform;
        final int stride;

        Data(String id, String file, String dateColumn, String valueColumn, Cadence cadence, String title,
                String unit, int heldOut, int warmUp, Forecaster.Transform transform, int stride) {
            this.id = id;
            this.file = file;
            this.dateColumn = dateColumn;
            this.valueColumn = valueColumn;
            this.cadence = cadence;
            this.title = title;
            this.unit = unit;
            this.heldOut = heldOut;
            this.warmUp = warmUp;
            this.transform = transform;
            this.stride = stride;
        }

        static Data named(String id) {
            for (Data d : values()) {
                if (d.id.equals(id)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown dataset '" + id + "'; choose co2 or seattle-weather");
        }
    }

    @Option(names = "--dataset", required = true, description = "co2 or seattle-weather.")
    String dataset;

    @Option(names = "--plot", paramLabel = "DIR", description = "Write <dataset>-one-step.png, "
            + "<dataset>-multi-step.png and <dataset>-forecast.csv into this directory (created if missing).")
    Path plot;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend name (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation and shuffling (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cell", defaultValue = "gru", description = "gru or lstm (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "32", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training windows (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warm-up", description = "Steps of true history read before the first forecast (default: 24 "
            + "for co2, 60 for seattle-weather).")
    Integer warmUp;

    @Option(names = "--held-out", description = "Steps held out at the end (default: 120 for co2, 365 for "
            + "seattle-weather).")
    Integer heldOut;

    @Option(names = "--file", description = "Read the dataset's CSV from this file instead of the cache.")
    Path file;

    private static final int BATCH = 32;

    @Override
    public void run() {
        Cli.provider("--backend", backend);
        Data data = Data.named(dataset);
        if (epochs < 1 || hidden < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("--epochs and --hidden must be at least 1 and --lr positive but were "
                    + epochs + ", " + hidden + " and " + learningRate);
        }
        if (plot != null) {
            HistoryFiles.prepare(plot, "--plot");
        }
        Cell c = switch (cell) {
            case "gru" -> GruCell.of(hidden);
            case "lstm" -> LstmCell.of(hidden);
            default -> throw new IllegalArgumentException("unknown cell '" + cell + "'; choose gru or lstm");
        };
        Path csv = file != null ? file : dataFile(data.file);
        Series all = Series.readCsv(csv, data.dateColumn, data.valueColumn, data.cadence, data.title, data.unit);
        Series series = all.longestRegularRun();
        int held = heldOut != null ? heldOut : data.heldOut;
        if (held < 1 || held >= series.size()) {
            throw new IllegalArgumentException("--held-out must be between 1 and " + (series.size() - 1) + " "
                    + data.cadence.steps() + " but was " + held);
        }
        int trainEnd = series.size() - held;
        Forecaster forecaster = new Forecaster(series, trainEnd, warmUp != null ? warmUp : data.warmUp,
                data.transform);
        try (Backend be = Backends.named(backend)) {
            run(data, all, forecaster, be, c);
        }
    }

    /**
     * @param fileName a file of vega-datasets' {@code data/} folder
     * @return its path in the default cache, fetched and checksummed on first use ({@link NpmDatasets#vegaFile})
     */
    private static Path dataFile(String fileName) {
        return NpmDatasets.vegaFile(fileName);
    }

    private void run(Data data, Series all, Forecaster forecaster, Backend be, Cell c) {
        Series series = forecaster.series();
        int trainEnd = forecaster.trainEnd();
        int held = forecaster.heldOut();
        List<LocalDate> dates = series.dates();
        System.out.printf(Locale.ROOT, "%s: %s%s%n", data.id, series,
                series.size() < all.size() ? " (the longest run without gaps of " + all.size() + " rows)" : "");
        System.out.printf(Locale.ROOT, "training %s to %s (%d %s), held out %s to %s (%d)%n", dates.get(0),
                dates.get(trainEnd - 1), trainEnd, data.cadence.steps(), dates.get(trainEnd),
                dates.get(series.size() - 1), held);
        Dataset train = forecaster.trainingSet(data.stride);
        int batch = Math.min(BATCH, train.size());
        Network net = Forecaster.network(c);
        System.out.printf(Locale.ROOT, "model: %s on %s; reads the %s and sin/cos of the time of year; %d training "
                + "windows of %d steps (warm-up %d + %d), batch %d, %d epochs, Adam %s, backend %s%n", cellName(c),
                data.valueColumn, forecaster.transform() == Forecaster.Transform.DIFFERENCE ? "change per step"
                        : "value", train.size(), forecaster.window(), forecaster.warmUp(), held, batch, epochs,
                learningRate, be.name());
        double[] truth = Arrays.copyOfRange(series.values(), trainEnd, series.size());
        try (Model model = be.compile(net, Initialization.defaults().initialize(net, seed))) {
            TrainingResult r = Trainer.builder().optimizer(Adam.builder().learningRate(learningRate)
                    .clipping(Clipping.globalNorm(5.0)).build()).batchSize(batch).epochs(epochs).seed(seed)
                    .listener(epochLog(Math.max(1, epochs / 5))).build().fit(model, train);
            System.out.printf(Locale.ROOT, "trained %d steps in %.1f s%n", r.steps(), r.seconds());
            double[] one = forecaster.oneStep(model);
            double[] multi = forecaster.multiStep(model, false);
            double[] values = series.values();
            int season = data.cadence.season();
            double[] naiveOne = Baselines.seasonalNaiveOneStep(values, trainEnd, held, season);
            double[] persistence = Baselines.seasonalNaiveOneStep(values, trainEnd, held, 1);
            double[] naiveMulti = Baselines.seasonalNaiveMultiStep(values, trainEnd, held, season);
            Errors eOne = Errors.of(one, truth);
            Errors eMulti = Errors.of(multi, truth);
            Errors eNaiveMulti = Errors.of(naiveMulti, truth);
            System.out.printf(Locale.ROOT, "errors on the %d held-out %s, in %s:%n", held, data.cadence.steps(),
                    data.unit);
            System.out.printf(Locale.ROOT, "  %-52s %8s %8s%n", "", "MAE", "RMSE");
            row("one-step, model", eOne);
            row("one-step, seasonal naive (" + season + " " + data.cadence.steps() + " earlier)",
                    Errors.of(naiveOne, truth));
            row("one-step, persistence (1 step earlier)", Errors.of(persistence, truth));
            row("multi-step " + held + ", model (own forecasts fed back)", eMulti);
            row("multi-step " + held + ", seasonal naive (last year repeated)", eNaiveMulti);
            if (plot != null) {
                write(data, series, trainEnd, truth, one, multi, naiveOne, persistence, naiveMulti);
            }
            System.out.printf(Locale.ROOT, "FORECAST dataset=%s horizon=%d mae=%.4f rmse=%.4f baseline_mae=%.4f "
                    + "baseline_rmse=%.4f%n", data.id, held, eMulti.mae(), eMulti.rmse(), eNaiveMulti.mae(),
                    eNaiveMulti.rmse());
        }
    }

    private static String cellName(Cell c) {
        return (c instanceof LstmCell ? "LSTM" : "GRU") + "(" + c.hiddenSize() + ")";
    }

    private static void row(String name, Errors e) {
        System.out.printf(Locale.ROOT, "  %-52s %8.3f %8.3f%n", name, e.mae(), e.rmse());
    }

    /**
     * The two charts (one-step and multi-step, with some training history before: three years of months, 120 days)
     * and every number as CSV. Monthly charts run over the year, daily ones over the days since the first held-out
     * day.
     */
    private void write(Data data, Series series, int trainEnd, double[] truth, double[] one, double[] multi,
            double[] naiveOne, double[] persistence, double[] naiveMulti) {
        boolean daily = data.cadence == Cadence.DAILY;
        int context = Math.min(trainEnd, daily ? 120 : 36);
        int from = trainEnd - context;
        double[] values = series.values();
        double[] xAll = new double[series.size() - from];
        for (int i = 0; i < xAll.length; i++) {
            xAll[i] = daily ? i - context : Cadence.decimalYear(series.dates().get(from + i));
        }
        String xTitle = daily ? "days since " + series.dates().get(trainEnd) + " (the first held-out day)" : "year";
        double[] xHeld = Arrays.copyOfRange(xAll, context, xAll.length);
        Plots.Series observed = new Plots.Series("observed", xAll, Arrays.copyOfRange(values, from, values.length));
        String what = data.title + " (" + data.valueColumn + ")";
        String yTitle = data.valueColumn + " (" + data.unit + ")";
        List<Plots.Series> oneLines = new ArrayList<>(List.of(observed,
                new Plots.Series("model, one step ahead, MAE " + mae(one, truth), xHeld, one)));
        if (!daily) {
            oneLines.add(new Plots.Series("seasonal naive (12 months earlier), MAE " + mae(naiveOne, truth), xHeld,
                    naiveOne));
        }
        Path onePng = plot.resolve(data.id + "-one-step.png");
        Plots.lines(onePng, what + ", one step ahead" + (daily ? " (persistence: MAE " + mae(persistence, truth)
                + ")" : ""), xTitle, yTitle, oneLines);
        Path multiPng = plot.resolve(data.id + "-multi-step.png");
        Plots.lines(multiPng, what + ", " + truth.length + " " + data.cadence.steps() + " ahead from "
                + series.dates().get(trainEnd - 1), xTitle, yTitle, List.of(observed,
                        new Plots.Series("model, own forecasts fed back, MAE " + mae(multi, truth), xHeld, multi),
                        new Plots.Series("seasonal naive (last training year repeated), MAE " + mae(naiveMulti, truth),
                                xHeld, naiveMulti)));
        Path csvFile = plot.resolve(data.id + "-forecast.csv");
        List<String> lines = new ArrayList<>();
        lines.add("date,observed,one_step,multi_step,seasonal_naive_one_step,persistence,seasonal_naive_multi_step");
        for (int i = from; i < values.length; i++) {
            int k = i - trainEnd;
            lines.add(series.dates().get(i) + "," + values[i] + (k < 0 ? ",,,,," : "," + f(one[k]) + "," + f(multi[k])
                    + "," + naiveOne[k] + "," + persistence[k] + "," + naiveMulti[k]));
        }
        AtomicFiles.write(csvFile, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + onePng + ", " + multiPng + " and " + csvFile);
    }

    private static String mae(double[] forecast, double[] truth) {
        return String.format(Locale.ROOT, "%.2f", Errors.of(forecast, truth).mae());
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /** Prints the mean training loss every {@code every} epochs and after the last. */
    private TrainingListener epochLog(int every) {
        // the trainer's own epoch summaries (EpochReport), every few epochs and the last
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochReport r, TrainingControl control) {
                if (r.epoch() % every == 0 || r.step() == control.totalSteps()) {
                    System.out.printf(Locale.ROOT, "epoch %d, mean training loss %.5f (standardised)%n", r.epoch(),
                            r.meanLoss());
                }
            }
        };
    }
}
