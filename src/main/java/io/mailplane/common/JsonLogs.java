package io.mailplane.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * With {@code mailplane.log.json} (MAILPLANE_LOG_JSON=true), the console writes one JSON object per
 * line, for log collectors: {@code timestamp}, {@code level}, {@code logger}, {@code message},
 * {@code thread}, {@code requestId} (the request's {@code X-Request-Id}, from the MDC), the rest of
 * the MDC under {@code mdc}, and for an error {@code exception} (its stack trace). The Quarkus JSON
 * logging extension is not available to this build, and JBoss LogManager's own {@code JsonFormatter}
 * needs a JSON-P provider on the boot class path, so this is a JBoss LogManager {@link ExtFormatter}
 * writing with Jackson. It replaces the console's pattern as the service starts: the lines Quarkus
 * writes before that (boot and Flyway migration) keep the pattern format. Files and other handlers
 * are left alone.
 */
@ApplicationScoped
public class JsonLogs {
    void onStart(@Observes @Priority(1) StartupEvent event, MailplaneConfig config) {
        if (config.log().json()) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                useJson(handler);
            }
        }
    }

    private static void useJson(Handler handler) {
        if (handler instanceof ConsoleHandler console) {
            console.setFormatter(new Formatter());
        } else if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                useJson(child);
            }
        }
    }

    /** One log record as one line of JSON. */
    static final class Formatter extends ExtFormatter {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public String format(ExtLogRecord record) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            line.put("level", record.getLevel().getName());
            line.put("logger", record.getLoggerName());
            line.put("message", formatMessage(record));
            line.put("thread", record.getThreadName());
            Map<String, String> mdc = new LinkedHashMap<>(record.getMdcCopy());
            String requestId = mdc.remove("requestId");
            if (requestId != null && !requestId.isEmpty()) {
                line.put("requestId", requestId);
            }
            if (!mdc.isEmpty()) {
                line.put("mdc", mdc);
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.put("exception", trace.toString());
            }
            try {
                return JSON.writeValueAsString(line) + "\n";
            } catch (JsonProcessingException e) {
                return "{\"level\":\"ERROR\",\"message\":\"unloggable record\"}\n";
            }
        }
    }
}
