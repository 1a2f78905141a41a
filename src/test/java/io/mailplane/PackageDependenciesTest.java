package io.mailplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package picture of README's "Layout", checked on the sources: dependencies point from the
 * features down to {@code audit}, {@code security}, {@code directory} and {@code common}, never
 * up, and no two packages depend on each other (imports and fully qualified names alike).
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/mailplane");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.mailplane\\.([a-z]+)\\.");

    /** Each package's layer; a package may depend only on lower layers (and features on the named features). */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("common", 0), Map.entry("openapi", 0),
            Map.entry("directory", 1),
            Map.entry("security", 2),
            Map.entry("audit", 3),
            Map.entry("tenancy", 4), Map.entry("users", 4), Map.entry("groups", 4), Map.entry("domains", 4),
            Map.entry("forwards", 4), Map.entry("lists", 4), Map.entry("mailaccounts", 4), Map.entry("sessions", 4),
            Map.entry("notify", 4), Map.entry("outbox", 4), Map.entry("announcements", 4),
            Map.entry("mailboxes", 4),
            Map.entry("mailstats", 4),
            Map.entry("secondary", 4),
            Map.entry("shared", 4));

    /** The only dependencies between features. */
    private static final Set<String> FEATURE_EDGES = Set.of("users->domains", "forwards->domains", "users->tenancy", "notify->outbox",
            "mailboxes->users", "shared->users", "shared->mailstats");

    static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(file -> {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    return; // MailplaneApplication, at the root, may see everything
                }
                String from = relative.getName(0).toString();
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(read(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyPackageHasALayer() {
        Set<String> unplaced = new TreeSet<>(dependencies().keySet());
        unplaced.removeAll(LAYERS.keySet());
        assertEquals(Set.of(), unplaced, "a new package needs its place in README's Layout and in this test");
    }

    @Test
    void dependenciesPointDownTheLayersOnly() {
        List<String> upward = new ArrayList<>();
        dependencies().forEach((from, targets) -> targets.forEach(to -> {
            int a = LAYERS.getOrDefault(from, -1);
            int b = LAYERS.getOrDefault(to, -1);
            boolean allowed = b < a || (a == 4 && b == 4 && FEATURE_EDGES.contains(from + "->" + to));
            if (!allowed) {
                upward.add(from + " -> " + to);
            }
        }));
        assertEquals(List.of(), upward);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        Map<String, Set<String>> graph = dependencies();
        graph.forEach((from, targets) -> targets.forEach(to ->
                assertTrue(!graph.getOrDefault(to, Set.of()).contains(from), from + " <-> " + to)));
    }
}
