package io.github.recurra.examples.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Trainer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forecaster on the cpu backend: windows, streamed against whole-sequence forecasts, and a synthetic series. */
class ForecasterTest {

    /**
     * A monthly series with a trend of {@code slope} per month, a yearly cycle of amplitude 3 and Gaussian noise of
     * standard deviation 0.3, from January 2000.
     */
    static Series seasonal(int n, double slope, long seed) {
        Random r = new Random(seed);
        List<LocalDate> dates = new ArrayList<>();
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            dates.add(LocalDate.of(2000, 1, 1).plusMonths(t));
            v[t] = 50 + slope * t + 3 * Math.sin(2 * Math.PI * t / 12) + 0.3 * r.nextGaussian();
        }
        return new Series("synthetic", "u", Cadence.MONTHLY, dates, v);
    }

    @Test
    void trainingWindowsEndBeforeTheHeldOutPart() {
        Series s = seasonal(100, 0.1, 1);
        Forecaster f = new Forecaster(s, 80, 6, Forecaster.Transform.DIFFERENCE);
        assertEquals(26, f.window());
        Dataset d = f.trainingSet(1);
        // starts 1 .. 80 - 1 - 26 = 53: the last window's last target is the change at index 79
        assertEquals(53, d.size());
        assertEquals(26, d.timeSteps());
        assertEquals(Forecaster.FEATURES, d.features());
        assertEquals(27, f.trainingSet(2).size());
    }

    @Test
    void streamingFedTheTrueValuesEqualsTheWholeSequenceForward() {
        Series s = seasonal(120, 0.1, 2);
        try (Backend be = Backends.named("cpu")) {
            for (Forecaster.Transform tr : Forecaster.Transform.values()) {
                for (Network net : List.of(Forecaster.network(GruCell.of(8)), Forecaster.network(LstmCell.of(8)))) {
                    Forecaster f = new Forecaster(s, 90, 12, tr);
                    try (Model m = be.compile(net, Initialization.defaults().initialize(net, 7))) {
                        double[] whole = f.oneStep(m);
                        double[] streamed = f.multiStep(m, true);
                        double[] free = f.multiStep(m, false);
                        assertEquals(30, whole.length);
                        for (int k = 0; k < whole.length; k++) {
                            assertEquals(whole[k], streamed[k], 1e-4 * (1 + Math.abs(whole[k])),
                                    tr + " " + net + " step " + k);
                        }
                        // the first forecast sees only true history in both modes; later ones differ
                        assertEquals(whole[0], free[0], 1e-4 * (1 + Math.abs(whole[0])));
                        assertTrue(Math.abs(whole[29] - free[29]) > 1e-3, tr + ": " + whole[29] + " " + free[29]);
                    }
                }
            }
        }
    }

    @Test
    void beatsSeasonalNaiveOnATrendingSeasonalSeries() {
        Series s = seasonal(216, 0.1, 3);
        int trainEnd = 216 - 24;
        Forecaster f = new Forecaster(s, trainEnd, 12, Forecaster.Transform.DIFFERENCE);
        Network net = Forecaster.network(GruCell.of(16));
        double[] v = s.values();
        double[] truth = Arrays.copyOfRange(v, trainEnd, v.length);
        try (Backend be = Backends.named("cpu");
                Model m = be.compile(net, Initialization.defaults().initialize(net, 0))) {
            Trainer.builder().optimizer(Adam.builder().learningRate(0.01).build()).batchSize(16).epochs(15).seed(0)
                    .build().fit(m, f.trainingSet(1));
            Errors one = Errors.of(f.oneStep(m), truth);
            Errors multi = Errors.of(f.multiStep(m, false), truth);
            // seasonal naive is 1.2 behind (a year of trend) one step ahead, and 1.2 to 2.4 behind from the origin
            Errors naiveOne = Errors.of(Baselines.seasonalNaiveOneStep(v, trainEnd, 24, 12), truth);
            Errors naiveMulti = Errors.of(Baselines.seasonalNaiveMultiStep(v, trainEnd, 24, 12), truth);
            assertTrue(naiveOne.mae() > 1.0 && naiveMulti.mae() > 1.5, naiveOne + " " + naiveMulti);
            assertTrue(one.mae() < 0.7 * naiveOne.mae(), one + " vs " + naiveOne);
            assertTrue(multi.mae() < 0.7 * naiveMulti.mae(), multi + " vs " + naiveMulti);
        }
    }
}
