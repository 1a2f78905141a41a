package io.mailplane.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox's Prometheus metrics: {@code mailplane_outbox_depth{status}} (rows per status, recounted
 * every {@code mailplane.outbox.depth-refresh}), {@code mailplane_outbox_send_seconds} (one SMTP
 * send) and {@code mailplane_outbox_failures_total{final}} (failed attempts; {@code final="true"}
 * when the mail ended {@code failed}).
 */
@ApplicationScoped
public class OutboxMetrics {
    private final Map<String, AtomicLong> depth = new LinkedHashMap<>();
    private final Timer send;
    private final Counter retried;
    private final Counter gaveUp;

    public OutboxMetrics(MeterRegistry registry) {
        for (String status : OutboxEntry.STATUSES) {
            AtomicLong value = new AtomicLong();
            depth.put(status, value);
            Gauge.builder("mailplane.outbox.depth", value, AtomicLong::get).tag("status", status)
                    .description("Notification mails in the outbox, by status").register(registry);
        }
        send = Timer.builder("mailplane.outbox.send").description("Time to hand one notification mail to the SMTP relay")
                .register(registry);
        retried = Counter.builder("mailplane.outbox.failures").tag("final", "false")
                .description("Failed attempts to send a notification mail").register(registry);
        gaveUp = Counter.builder("mailplane.outbox.failures").tag("final", "true")
                .description("Failed attempts to send a notification mail").register(registry);
    }

    void depth(Map<String, Long> counts) {
        depth.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
    }

    void sent(Duration took) {
        send.record(took);
    }

    void failed(boolean gaveUp) {
        (gaveUp ? this.gaveUp : retried).increment();
    }
}
