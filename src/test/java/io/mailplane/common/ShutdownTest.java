package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stopping the service while the invalidation poll keeps running logs no ERROR: the poll stops
 * before the persistence unit closes. {@link PollDuringShutdownMain} starts the service, keeps
 * the poll busy and returns, which stops it; the launcher captures its log.
 */
@QuarkusMainTest
@TestProfile(ShutdownTest.Profile.class)
class ShutdownTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.package.main-class", "poll-during-shutdown");
        }
    }

    @Test
    void stoppingTheServiceWhileThePollRunsLogsNoError(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch();
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> lines = new ArrayList<>(result.getOutputStream());
        lines.addAll(result.getErrorStream());
        // the ticks ran until the container ended, also after the shutdown had begun
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*poll ticks ended: [1-9][0-9]*, [1-9][0-9]* of them while the service stopped.*")),
                "the poll did not tick while the service stopped: " + lines);
        List<String> errors = lines.stream().filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|FATAL).*")).toList();
        assertEquals(List.of(), errors);
    }
}
