package io.entrysim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/entrysim's choice of JVM and start-up archive (target/entrysim.launch, written by
 * bin/start-archive): an archive the JVM cannot use costs speed only, never a word on stderr; a
 * launch line whose JDK is gone or whose archive is older than the jar is passed over. Runs a copy
 * of the launcher over a small jar whose manifest points at this test run's class path.
 */
class LauncherTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String VERSION = "entrysim 0.1.0\n";

    @TempDir
    Path home;
    private Path jar;

    private record Run(int status, String out, String err) {}

    @BeforeEach
    void launcherOverATestJar() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("target"));
        Path launcher = home.resolve("bin/entrysim");
        Files.copy(Path.of("bin/entrysim"), launcher);
        launcher.toFile().setExecutable(true);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.append(classPath.length() > 0 ? " " : "").append(Path.of(entry).toUri());
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString());
        jar = home.resolve("target/entrysim.jar");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            // the manifest is the whole jar
        }
        // older than anything the tests write, so the launcher never rebuilds and archives count as newer
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    private Path archive(String name, boolean newerThanJar) throws IOException {
        Path archive = home.resolve("target/" + name);
        byte[] garbage = new byte[4096];
        new java.util.Random(12).nextBytes(garbage);
        Files.write(archive, garbage);
        long jarTime = Files.getLastModifiedTime(jar).toMillis();
        Files.setLastModifiedTime(archive, FileTime.fromMillis(jarTime + (newerThanJar ? 10_000 : -10_000)));
        return archive;
    }

    private void launchLines(String... lines) throws IOException {
        Files.writeString(home.resolve("target/entrysim.launch"), String.join("\n", lines) + "\n");
    }

    private static String line(Object java, String archiveOption, String quietOption) {
        return java + "\t" + archiveOption + "\t" + quietOption;
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return launchWithInput(env, null, args);
    }

    private Run launchWithInput(Map<String, String> env, Path input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/entrysim").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ENTRYSIM_JAVA_OPTS");
        pb.environment().putAll(env);
        // the PATH java (the launcher's fallback) is the one running these tests
        pb.environment().put("PATH", JAVA.getParent() + File.pathSeparator + System.getenv("PATH"));
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        if (input != null) {
            pb.redirectInput(input.toFile());
        }
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher still running after 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void assertCleanVersion(Run run) {
        assertEquals("", run.err(), "stderr");
        assertEquals(VERSION, run.out(), "stdout");
        assertEquals(0, run.status(), "exit status");
    }

    @Test
    void aCorruptAppCdsArchiveOnlyCostsSpeed() throws Exception {
        launchLines(line(JAVA, "-XX:SharedArchiveFile=" + archive("corrupt.jsa", true), "-Xlog:cds*=off"));
        assertCleanVersion(launch(Map.of(), "--version"));
    }

    @Test
    void aCorruptAotCacheOnlyCostsSpeed() throws Exception {
        Path temurin = newestJdkWithAotCache();
        assumeTrue(temurin != null, "no JDK >= 24 under /usr/lib/jvm: the AOT-cache case is not tested here");
        launchLines(line(temurin, "-XX:AOTCache=" + archive("corrupt.aot", true), "-Xlog:aot*=off,cds*=off"));
        assertCleanVersion(launch(Map.of(), "--version"));
    }

    @Test
    void aLaunchLineIsUsedWhenItsJdkAndArchiveAreThere() throws Exception {
        // the control for the tests below: an option this JVM rejects makes the line's use visible
        launchLines(line(JAVA, "-XX:SharedArchiveFile=" + archive("a.jsa", true), "-XX:+NoSuchOptionInAnyJvm"));
        Run run = launch(Map.of(), "--version");
        assertEquals(1, run.status(), run.err());
    }

    @Test
    void aLineWhoseJdkIsGoneIsPassedOver() throws Exception {
        launchLines(line("/nonexistent/jdk/bin/java", "-XX:SharedArchiveFile=" + archive("a.jsa", true), "-XX:+NoSuchOptionInAnyJvm"),
                line(JAVA, "-XX:SharedArchiveFile=" + archive("b.jsa", true), "-Xlog:cds*=off"));
        assertCleanVersion(launch(Map.of(), "--version"));
    }

    @Test
    void anArchiveOlderThanTheJarIsPassedOver() throws Exception {
        launchLines(line(JAVA, "-XX:SharedArchiveFile=" + archive("old.jsa", false), "-XX:+NoSuchOptionInAnyJvm"));
        assertCleanVersion(launch(Map.of(), "--version"));
    }

    @Test
    void javaOptsReplaceTheLaunchLine() throws Exception {
        launchLines(line(JAVA, "-XX:SharedArchiveFile=" + archive("a.jsa", true), "-XX:+NoSuchOptionInAnyJvm"));
        assertCleanVersion(launch(Map.of("ENTRYSIM_JAVA_OPTS", ""), "--version"));
        assertCleanVersion(launch(Map.of("ENTRYSIM_JAVA_OPTS", "-Xmx256m"), "--version"));
    }

    /** The JVM a launch line starts reads the caller's stdin (debug --batch, dap), not the launch file. */
    @Test
    void theProgramReadsTheCallersStdin() throws Exception {
        launchLines(line(JAVA, "-XX:SharedArchiveFile=" + archive("a.jsa", true), "-Xlog:cds*=off"),
                line("/nonexistent/second/line/java", "-XX:SharedArchiveFile=x", "-Xlog:cds*=off"));
        Path source = home.resolve("t.S");
        Files.writeString(source, "\tmovq $0x1234, %rbx\n\thlt\n");
        Path input = home.resolve("commands.txt");
        Files.writeString(input, "stepi\ninfo registers rbx\n");
        Run run = launchWithInput(Map.of(), input, "debug", source.toString(), "--batch");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("rbx            0x1234"), run.out());
        assertTrue(!run.out().contains("Undefined command") && !run.err().contains("Undefined command"), run.out());
    }

    @Test
    void withoutALaunchFileTheLauncherStillRuns() throws Exception {
        assertCleanVersion(launch(Map.of(), "--version"));
    }

    /**
     * The archives mvn package made for this checkout map for real: -Xshare:on and AOTMode=on
     * turn the silent fallback into an error.
     */
    @Test
    void thePackagedArchivesAreUsable() throws Exception {
        Path launch = Path.of("target/entrysim.launch");
        Path realJar = Path.of("target/entrysim.jar").toAbsolutePath();
        assumeTrue(Files.isRegularFile(launch) && Files.isRegularFile(realJar),
                "no target/entrysim.launch yet (mvn package makes it, after the tests): not checked in this run");
        for (String l : Files.readAllLines(launch)) {
            String[] f = l.split("\t");
            Path archive = Path.of(f[1].substring(f[1].indexOf('=') + 1));
            if (!Files.isExecutable(Path.of(f[0])) || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(realJar)) < 0) {
                continue;
            }
            String strict = f[1].startsWith("-XX:AOTCache=") ? "-XX:AOTMode=on" : "-Xshare:on";
            Process p = new ProcessBuilder(f[0], "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f[1], strict,
                    "-jar", realJar.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), l + ":\n" + out);
            assertEquals(VERSION, out, l);
        }
    }

    private static Path newestJdkWithAotCache() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        Path best = null;
        int bestVersion = 23;
        try (var homes = Files.list(jvms)) {
            for (Path h : (Iterable<Path>) homes::iterator) {
                Path release = h.resolve("release");
                if (!Files.isRegularFile(release) || !Files.isExecutable(h.resolve("bin/java"))) {
                    continue;
                }
                var m = java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                if (m.find() && Integer.parseInt(m.group(1)) > bestVersion) {
                    bestVersion = Integer.parseInt(m.group(1));
                    best = h.resolve("bin/java");
                }
            }
        }
        return best;
    }
}
