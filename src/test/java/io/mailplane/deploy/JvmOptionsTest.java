package io.mailplane.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The production JVM settings (issue 17: resident memory under 300 MB at 32 concurrent requests)
 * are one set: the benchmarks' PRODUCTION_JVM_OPTS (bench/lib.sh) is what the container image
 * (Dockerfile.jvm and the jib profile) and the Helm chart's javaOpts start the JVM with.
 */
class JvmOptionsTest {
    private static final String LOGGING = " -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Djava.io.tmpdir=/tmp";

    private static String benchOptions() throws IOException {
        Matcher m = Pattern.compile("(?m)^PRODUCTION_JVM_OPTS=\"([^\"]+)\"$").matcher(Files.readString(Path.of("bench/lib.sh")));
        assertTrue(m.find(), "bench/lib.sh sets PRODUCTION_JVM_OPTS");
        return m.group(1);
    }

    private static String first(String file, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of(file)));
        assertTrue(m.find(), file + " has " + regex);
        return m.group(1);
    }

    @Test
    void theImageTheJibProfileAndTheChartStartTheJvmWithTheBenchmarkedSettings() throws IOException {
        String expected = benchOptions() + LOGGING;
        assertEquals(expected, first("src/main/docker/Dockerfile.jvm", "ENV JAVA_OPTS=\"([^\"]+)\""));
        assertEquals(expected, first("pom.xml", "<JAVA_OPTS>([^<]+)</JAVA_OPTS>"));
        assertEquals(expected, first("helm/mailplane/values.yaml", "(?m)^javaOpts: \"([^\"]+)\""));
    }

    @Test
    void theHeapIsBoundedExplicitlyAndTheChartLeavesRoomAboveIt() throws IOException {
        String options = benchOptions();
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(options);
        assertTrue(xmx.find(), options);
        Matcher limit = Pattern.compile("(?m)^  limits:\\n    memory: (\\d+)Mi").matcher(Files.readString(Path.of("helm/mailplane/values.yaml")));
        assertTrue(limit.find(), "the chart limits memory in Mi");
        assertTrue(Integer.parseInt(limit.group(1)) >= Integer.parseInt(xmx.group(1)) + 256,
                "heap " + xmx.group(1) + " MiB plus metaspace, code cache and threads fit the limit " + limit.group(1) + " Mi");
    }
}
