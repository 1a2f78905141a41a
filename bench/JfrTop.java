import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) went: the top frames (self time)
 * and, per component, the share of samples with at least one frame in it (inclusive, so the
 * shares overlap). Threads named like the load generator's are not the service's and are skipped.
 *
 *   java bench/JfrTop.java recording.jfr [top frames=15]
 */
public class JfrTop {
    static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("Hibernate ORM", "org.hibernate.");
        COMPONENTS.put("Narayana JTA", "com.arjuna.");
        COMPONENTS.put("Agroal pool", "io.agroal.");
        COMPONENTS.put("MySQL driver", "com.mysql.");
        COMPONENTS.put("RESTEasy Reactive", "org.jboss.resteasy.reactive.");
        COMPONENTS.put("Jackson", "com.fasterxml.jackson.");
        COMPONENTS.put("Vert.x", "io.vertx.");
        COMPONENTS.put("Netty", "io.netty.");
        COMPONENTS.put("ArC (CDI)", "io.quarkus.arc.");
        COMPONENTS.put("Micrometer", "io.micrometer.");
        COMPONENTS.put("Quarkus security", "io.quarkus.security.");
        COMPONENTS.put("Mailplane", "io.mailplane.");
        COMPONENTS.put("bcrypt", "org.wildfly.security.password.");
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = stack.getFrames();
            RecordedFrame first = frames.get(0);
            self.merge(first.getMethod().getType().getName() + "." + first.getMethod().getName(), 1, Integer::sum);
            for (Map.Entry<String, String> c : COMPONENTS.entrySet()) {
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith(c.getValue())) {
                        inclusive.merge(c.getKey(), 1, Integer::sum);
                        break;
                    }
                }
            }
        }
        System.out.printf("%d CPU samples%n%n| component (inclusive) | share |%n|---|---|%n", total);
        final int n = Math.max(total, 1);
        COMPONENTS.keySet().stream().filter(inclusive::containsKey)
                .sorted((a, b) -> inclusive.get(b) - inclusive.get(a))
                .forEach(c -> System.out.printf("| %s | %.1f%% |%n", c, 100.0 * inclusive.get(c) / n));
        System.out.printf("%n| top frame (self) | share |%n|---|---|%n");
        self.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(f -> System.out.printf("| `%s` | %.1f%% |%n", f.getKey(), 100.0 * f.getValue() / n));
    }
}
