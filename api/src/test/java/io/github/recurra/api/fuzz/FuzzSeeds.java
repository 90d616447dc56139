package io.github.recurra.api.fuzz;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the generated part of the fuzz tests' seed corpora: valid inputs and, from each, truncations and bit flips.
 * Run from a module's directory with its test classpath, {@code java ... io.github.recurra.api.fuzz.FuzzSeeds}; the
 * files are committed, so the build never runs this. Inputs that fuzzing found are added beside them by hand, under
 * names saying what they are.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    /** Two small networks, one LSTM with a dense head and one two-layer GRU. */
    static Network[] networks() {
        return new Network[] {
            Network.builder(3).layer(Sequence.of(LstmCell.of(4))).head(Head.classifier(2)).build(),
            Network.builder(2).layer(Sequence.builder(GruCell.of(3)).returnSequences(true).build()).layer(Sequence.of(GruCell.of(2))).build(),
        };
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of("src/test/resources/io/github/recurra/api/fuzz/ReaderFuzzTestInputs");
        byte[] images = idx(new int[] {2, 3, 2}, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7, 8, 9, 10, 11, 12, 13});
        byte[] labels = idx(new int[] {5}, new byte[] {0, 9, 3, 3, 1});
        variants(root.resolve("idxBytes"), "images", images);
        variants(root.resolve("idxBytes"), "labels", labels);
        write(root.resolve("idxBytes"), "huge-dims", idx(new int[] {0x7fffffff, 0x7fffffff}, new byte[0]));
        variants(root.resolve("idxFile"), "images", images);
        variants(root.resolve("idxFile"), "images-gz", gzip(images));
        // inflates to 200 kB from a few hundred bytes, past the target's limit of 16 bytes per file byte
        write(root.resolve("idxFile"), "inflates-far", gzip(idx(new int[] {200_000}, new byte[200_000])));
        Network[] nets = networks();
        for (int i = 0; i < nets.length; i++) {
            byte[] model = ModelFile.of(nets[i], Initialization.defaults().initialize(nets[i], i)).toBytes();
            variants(root.resolve("modelFile"), "model" + i, model);
            variants(root.resolve("specText"), "spec" + i, ModelFile.specText(nets[i]).getBytes(StandardCharsets.UTF_8));
        }
        String csv = "date,co2,adjusted\n1958-03-01,315.71,314.62\n1958-04-01,317.45,315.29\n\n1958-05-01,317.5,314.71\n"
                + "1958-07-01,315.86,315.15\n1958-08-01,314.93,316.35\n1958-09-01,313.2,316.21\n"
                + "1958-10-01,312.66,316.11\n1958-11-01,313.33,315.43\n1958-12-01,314.67,316.33\n";
        variants(root.resolve("csv"), "co2", csv.getBytes(StandardCharsets.UTF_8));
        variants(root.resolve("csv"), "numbers", "1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n19,20\n"
                .getBytes(StandardCharsets.UTF_8));
        write(root.resolve("csv"), "latin1", "\"a\",\"b\"\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        write(root.resolve("csv"), "nan", "a,b\n1,NaN\n2,3\n".getBytes(StandardCharsets.UTF_8));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 6; i++) {
            byte[] b = new byte[16 + r.nextInt(300)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (i % 2 == 0 ? 'a' + r.nextInt(6) : r.nextInt(256));
            }
            write(root.resolve("charText"), "random" + i, b);
        }
    }

    /** The bytes of an unsigned-byte IDX file. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code name} (the valid input), truncations of it at a quarter, half and all but one byte, and three
     * copies with one bit flipped each at seeded positions.
     *
     * @param dir  the target's corpus folder (created)
     * @param name the base file name
     * @param good the valid input
     */
    public static void variants(Path dir, String name, byte[] good) throws IOException {
        write(dir, name, good);
        for (int cut : new int[] {good.length / 4, good.length / 2, good.length - 1}) {
            write(dir, name + "-cut" + cut, java.util.Arrays.copyOf(good, cut));
        }
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int i = 0; i < 3 && good.length > 0; i++) {
            byte[] b = good.clone();
            int at = r.nextInt(b.length);
            int bit = r.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            write(dir, name + "-flip" + at + "." + bit, b);
        }
    }

    static void write(Path dir, String name, byte[] data) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), data);
    }
}
