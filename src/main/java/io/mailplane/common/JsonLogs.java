package io.mailplane.common;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * With {@code mailplane.log.json} (MAILPLANE_LOG_JSON=true), the console writes one JSON object per
 * line, for log collectors: JBoss LogManager's own {@link JsonFormatter} (the Quarkus JSON logging
 * extension is not available to this build), with {@code timestamp}, {@code level},
 * {@code loggerName}, {@code message}, {@code threadName}, {@code mdc.requestId} (the request's
 * {@code X-Request-Id}) and, for an error, {@code exception} with its frames. The formatter replaces
 * the console's pattern as the service starts: the lines Quarkus writes before (boot and Flyway
 * migration) stay in the pattern format. Files and other handlers are left alone.
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
            JsonFormatter json = new JsonFormatter();
            json.setExceptionOutputType(StructuredFormatter.ExceptionOutputType.DETAILED);
            json.setRecordDelimiter("\n");
            console.setFormatter(json);
        } else if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                useJson(child);
            }
        }
    }
}
