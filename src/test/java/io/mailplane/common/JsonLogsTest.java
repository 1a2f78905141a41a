package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MAILPLANE_LOG_JSON=true: each log record is one line of JSON that a log collector reads, with the
 * request id of the request that logged it (deploy/replicas-test.sh checks it on a running replica).
 */
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void clearMdc() {
        MDC.remove("requestId");
    }

    private static ExtLogRecord record(Level level, String message, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.MESSAGE_FORMAT, JsonLogsTest.class.getName());
        record.setLoggerName("io.mailplane.users.UserService");
        record.setThrown(thrown);
        record.copyMdc();
        return record;
    }

    @Test
    void aRecordLoggedDuringARequestIsOneJsonLineCarryingTheRequestId() throws Exception {
        MDC.put("requestId", "req-4711");
        String line = new JsonLogs.Formatter().format(record(Level.WARNING, "first line\nsecond \"quoted\" line", null));
        assertTrue(line.endsWith("\n"));
        assertFalse(line.substring(0, line.length() - 1).contains("\n"), "one line: " + line);
        JsonNode json = JSON.readTree(line);
        assertEquals("req-4711", json.get("requestId").asText());
        assertEquals("WARNING", json.get("level").asText());
        assertEquals("io.mailplane.users.UserService", json.get("logger").asText());
        assertEquals("first line\nsecond \"quoted\" line", json.get("message").asText());
        assertTrue(json.hasNonNull("timestamp") && json.hasNonNull("thread"));
    }

    @Test
    void anErrorCarriesItsStackTraceAndARecordOutsideRequestsHasNoRequestId() throws Exception {
        JsonNode json = JSON.readTree(new JsonLogs.Formatter().format(record(Level.SEVERE, "failed", new IllegalStateException("boom"))));
        assertTrue(json.get("exception").asText().startsWith("java.lang.IllegalStateException: boom"), json.toString());
        assertFalse(json.has("requestId"));
    }
}
