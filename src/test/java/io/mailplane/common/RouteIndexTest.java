package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.RouteTable.Match;
import io.mailplane.common.RouteTable.Route;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The route table's segment tree answers exactly as matching every template's regex did: the same
 * most literal template and the same union of methods, or no match, for every path. A plain unit
 * test: the templates are read from the compiled resource classes, as the table reads them from
 * the beans at start-up.
 */
class RouteIndexTest {
    private static final List<String> VALUES = List.of("1", "42", "x1", "ctx-name", "a@b.example", "%2F", "a.b", "UPPER", " ");
    private static final List<String> SUFFIXES = List.of("", "/", "//", "/x", "/x/", "/1/2", "/users");

    @Test
    void theSegmentTreeAnswersLikeTheTemplatesRegexesForEveryRouteOfTheApi() throws Exception {
        Map<String, Set<String>> templates = RouteTable.templates(resourceClasses());
        assertTrue(templates.size() > 50, "the API's templates are found: " + templates.keySet());
        int compared = compareOverGeneratedPaths(templates);
        assertTrue(compared > 10_000, "paths compared: " + compared);
    }

    @Test
    void literalSegmentsWinAndTheMethodsOfEveryMatchingTemplateAreUnited() {
        Map<String, Set<String>> templates = new LinkedHashMap<>();
        templates.put("/a/{x}", Set.of("GET", "DELETE"));
        templates.put("/a/b", Set.of("PUT"));
        templates.put("/a/{x}/c", Set.of("GET"));
        templates.put("/a/b/{y}", Set.of("POST"));
        templates.put("/{p}/{q}/c", Set.of("PATCH"));
        RouteIndex index = RouteIndex.of(templates);

        assertEquals(Optional.of(new Match("/a/b", new TreeSet<>(List.of("DELETE", "GET", "PUT")))), index.match("/a/b"));
        assertEquals(Optional.of(new Match("/a/b", new TreeSet<>(List.of("DELETE", "GET", "PUT")))), index.match("/a/b/"));
        assertEquals(Optional.of(new Match("/a/{x}", new TreeSet<>(List.of("DELETE", "GET")))), index.match("/a/z"));
        // as many literal characters as /a/b/{y}: the template declared first names the match
        assertEquals(Optional.of(new Match("/a/{x}/c", new TreeSet<>(List.of("GET", "PATCH", "POST")))), index.match("/a/b/c"));
        assertEquals(Optional.of(new Match("/a/b/{y}", new TreeSet<>(List.of("POST")))), index.match("/a/b/d"));
        assertEquals(Optional.of(new Match("/a/{x}/c", new TreeSet<>(List.of("GET", "PATCH")))), index.match("/a/z/c"));
        assertEquals(Optional.empty(), index.match("/a//c"));
        assertEquals(Optional.empty(), index.match("/a/b//"));
        assertEquals(Optional.empty(), index.match("a/b"));
        assertEquals(Optional.empty(), index.match(null));
        compareOverGeneratedPaths(templates);
    }

    @Test
    void templatesWithARegexOfTheirOwnStillMatchByIt() {
        Map<String, Set<String>> templates = new LinkedHashMap<>();
        templates.put("/", Set.of("GET"));
        templates.put("/files/{path: .+}", Set.of("GET"));
        templates.put("/files/{name}", Set.of("DELETE"));
        templates.put("/n/{id: [0-9]+}", Set.of("GET"));
        templates.put("/n/{name}", Set.of("PUT"));
        templates.put("/v{version}/x", Set.of("GET"));
        RouteIndex index = RouteIndex.of(templates);

        assertEquals("/files/{path: .+}", index.match("/files/a/b/c").orElseThrow().template());
        assertEquals(new TreeSet<>(List.of("DELETE", "GET")), index.match("/files/a").orElseThrow().methods());
        assertEquals(new TreeSet<>(List.of("PUT")), index.match("/n/abc").orElseThrow().methods());
        assertEquals(new TreeSet<>(List.of("GET", "PUT")), index.match("/n/12").orElseThrow().methods());
        assertEquals("/v{version}/x", index.match("/v2/x").orElseThrow().template());
        assertEquals("/", index.match("/").orElseThrow().template());
        assertEquals("/", index.match("//").orElseThrow().template());
        compareOverGeneratedPaths(templates);
    }

    /** Compares the tree with the regexes over paths made from every template; answers how many paths. */
    private static int compareOverGeneratedPaths(Map<String, Set<String>> templates) {
        RouteIndex index = RouteIndex.of(templates);
        Set<String> paths = paths(templates.keySet());
        for (String path : paths) {
            assertEquals(byRegex(index.routes, path), index.match(path), "path " + path);
            assertEquals(index.match(path), index.match(path), "asked again: " + path);
        }
        assertEquals(byRegex(index.routes, null), index.match(null));
        return paths.size();
    }

    /** The matching as it was: every template's regex, in order; the first of the most literal ones. */
    private static Optional<Match> byRegex(List<Route> routes, String path) {
        if (path == null) {
            return Optional.empty();
        }
        Route best = null;
        Set<String> union = new TreeSet<>();
        for (Route route : routes) {
            String template = route.template();
            String literalPrefix = template.indexOf('{') < 0 ? template : template.substring(0, template.indexOf('{'));
            if (path.startsWith(literalPrefix) && route.pattern().matcher(path).matches()) {
                union.addAll(route.methods());
                if (best == null || route.literalChars() > best.literalChars()) {
                    best = route;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Match(best.template(), Collections.unmodifiableSet(union)));
    }

    /**
     * For every template: its parameters filled with sample values and with every literal segment that
     * templates have at that depth (so that a literal and a parameter compete), each with trailing
     * garbage and slashes; its
     * prefixes; its literals misspelt, in another case, or with an empty segment; and a few odd paths.
     */
    private static Set<String> paths(Set<String> templates) {
        // the literal segments at each depth: the values that compete with a parameter there
        Map<Integer, Set<String>> literals = new LinkedHashMap<>();
        for (String template : templates) {
            List<String> segments = segmentsOf(template);
            for (int i = 0; i < segments.size(); i++) {
                if (!segments.get(i).contains("{")) {
                    literals.computeIfAbsent(i, d -> new TreeSet<>()).add(segments.get(i));
                }
            }
        }
        Set<String> paths = new LinkedHashSet<>(List.of("", "/", "//", "*", "x", "/x", "/x/", "oxaas/v1/admin/resellers",
                "/oxaas", "/oxaas/", "/api/2.0/mail/", "/oxaas/v1/admin/contexts/1/users/2/aliases/a@b.example/"));
        for (String template : templates) {
            List<String> segments = segmentsOf(template);
            List<Integer> parameters = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).startsWith("{")) {
                    parameters.add(i);
                }
            }
            List<List<String>> fillings = new ArrayList<>();
            for (String value : VALUES) {
                fillings.add(fill(segments, parameters, any -> value));
            }
            for (int p : parameters) {
                Set<String> values = new LinkedHashSet<>(VALUES);
                values.addAll(literals.getOrDefault(p, Set.of()));
                for (String value : values) {
                    fillings.add(fill(segments, parameters, q -> q == p ? value : "1"));
                }
            }
            for (List<String> filled : fillings) {
                String path = "/" + String.join("/", filled);
                for (String suffix : SUFFIXES) {
                    paths.add(path + suffix);
                }
                for (int i = 0; i < filled.size(); i++) {
                    paths.add("/" + String.join("/", filled.subList(0, i)));
                    List<String> changed = new ArrayList<>(filled);
                    String segment = filled.get(i);
                    changed.set(i, segment.toUpperCase());
                    paths.add("/" + String.join("/", changed));
                    changed.set(i, segment.substring(0, segment.length() - 1));
                    paths.add("/" + String.join("/", changed));
                    changed.set(i, segment + "x");
                    paths.add("/" + String.join("/", changed));
                    changed.set(i, segment + "/");
                    paths.add("/" + String.join("/", changed));
                }
            }
        }
        return paths;
    }

    private static List<String> segmentsOf(String template) {
        List<String> segments = new ArrayList<>();
        for (String segment : template.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static List<String> fill(List<String> segments, List<Integer> parameters, java.util.function.IntFunction<String> value) {
        List<String> filled = new ArrayList<>(segments);
        for (int p : parameters) {
            filled.set(p, value.apply(p));
        }
        return filled;
    }

    /** Every compiled class of the service (not loaded, not initialised beyond its annotations). */
    private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(RouteTable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.startsWith("io.mailplane.")) {
                    types.add(Class.forName(name, false, RouteIndexTest.class.getClassLoader()));
                }
            }
        }
        return types;
    }
}
