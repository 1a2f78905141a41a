package io.mailplane.common;

import io.mailplane.common.RouteTable.Match;
import io.mailplane.common.RouteTable.Route;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The path templates of {@link RouteTable} as a tree of path segments, for matching a path on every
 * request without a regular expression per template: each node has its literal children and at most
 * one parameter child, and a path walks the tree segment by segment without allocating substrings.
 * A template whose parameter carries its own regex ({@code {name: regex}}, none today) is matched
 * with that regex, as before.
 *
 * <p>The answer is the one matching every template's regex ({@link #compile}) gives: all templates
 * that match, the union of their methods, and the most literal of them (the most characters outside
 * parameters, so a literal segment beats a parameter; the first declared among equals). {@code RouteIndexTest} compares the two over every template of the
 * API. Built once and read from any thread; a match allocates nothing when one template matches (its
 * answer is kept with it), else one set of the matching templates, whose answer is kept too (there
 * are finitely many such sets).
 */
final class RouteIndex {
    private static final Pattern SIMPLE_PARAMETER = Pattern.compile("\\{[^{}:/]+}");

    final List<Route> routes;
    private final Node root = new Node();
    /** Templates with a parameter regex of their own, matched by that regex. */
    private final List<Route> byRegex = new ArrayList<>();
    /** The answer when exactly this route matches, by {@link Route#index}. */
    private final List<Optional<Match>> alone = new ArrayList<>();
    /** The answers for several matching routes, by the set of their indexes. */
    private final Map<BitSet, Optional<Match>> together = new ConcurrentHashMap<>();

    private RouteIndex(List<Route> routes) {
        this.routes = routes;
    }

    static RouteIndex of(Map<String, Set<String>> templates) {
        List<Route> built = new ArrayList<>();
        templates.forEach((template, verbs) -> built.add(new Route(template, compile(template),
                Collections.unmodifiableSet(new TreeSet<>(verbs)), literalChars(template), built.size())));
        RouteIndex index = new RouteIndex(List.copyOf(built));
        for (Route route : index.routes) {
            index.alone.add(Optional.of(new Match(route.template(), route.methods())));
            List<String> segments = segments(route.template());
            if (segments == null) {
                index.byRegex.add(route);
                continue;
            }
            Node node = index.root;
            for (String segment : segments) {
                node = SIMPLE_PARAMETER.matcher(segment).matches() ? node.parameter() : node.literal(segment);
            }
            node.ends.add(route);
        }
        return index;
    }

    /** The segments of a template of literal segments and plain {@code {name}} parameters; {@code null} for any other. */
    private static List<String> segments(String template) {
        if (!template.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        if (template.length() == 1) {
            return segments;
        }
        for (String segment : template.substring(1).split("/", -1)) {
            boolean literal = segment.indexOf('{') < 0 && segment.indexOf('}') < 0;
            if (segment.isEmpty() || !(literal || SIMPLE_PARAMETER.matcher(segment).matches())) {
                return null;
            }
            segments.add(segment);
        }
        return segments;
    }

    Optional<Match> match(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Found found = new Found();
        if (path.startsWith("/")) {
            // a template's pattern accepts one trailing slash; no segment is empty, so at most one is dropped
            int end = path.length() > 1 && path.charAt(path.length() - 1) == '/' ? path.length() - 1 : path.length();
            if (end == 1) {
                found.addAll(root.ends);
            } else {
                walk(root, path, 1, end, found);
            }
        }
        for (int i = 0; i < byRegex.size(); i++) {
            Route route = byRegex.get(i);
            if (route.pattern().matcher(path).matches()) {
                found.add(route);
            }
        }
        if (found.best == null) {
            return Optional.empty();
        }
        if (found.all == null) {
            return alone.get(found.best.index());
        }
        return together.computeIfAbsent(found.all, this::union);
    }

    /** Matches the segment of {@code path} that starts at {@code from} (before {@code end}) and the ones after it below {@code node}. */
    private static void walk(Node node, String path, int from, int end, Found found) {
        int slash = path.indexOf('/', from);
        int to = slash < 0 || slash > end ? end : slash;
        int length = to - from;
        if (length == 0) {
            return; // an empty segment matches neither a literal nor a parameter
        }
        for (int i = 0; i < node.literals.size(); i++) {
            String literal = node.literals.get(i);
            if (literal.length() == length && path.startsWith(literal, from)) {
                descend(node.literalNodes.get(i), path, to, end, found);
            }
        }
        if (node.parameter != null) {
            descend(node.parameter, path, to, end, found);
        }
    }

    private static void descend(Node child, String path, int to, int end, Found found) {
        if (to == end) {
            found.addAll(child.ends);
        } else {
            walk(child, path, to + 1, end, found);
        }
    }

    private Optional<Match> union(BitSet matching) {
        Set<String> methods = new TreeSet<>();
        Route best = null;
        for (int i = matching.nextSetBit(0); i >= 0; i = matching.nextSetBit(i + 1)) {
            Route route = routes.get(i);
            methods.addAll(route.methods());
            if (best == null || route.literalChars() > best.literalChars()) {
                best = route;
            }
        }
        return Optional.of(new Match(best.template(), Collections.unmodifiableSet(methods)));
    }

    /** A node of the segment tree: the literal segments and the parameter that may follow, and the templates that end here. */
    private static final class Node {
        final List<String> literals = new ArrayList<>();
        final List<Node> literalNodes = new ArrayList<>();
        Node parameter;
        final List<Route> ends = new ArrayList<>();

        Node literal(String segment) {
            int at = literals.indexOf(segment);
            if (at >= 0) {
                return literalNodes.get(at);
            }
            Node node = new Node();
            literals.add(segment);
            literalNodes.add(node);
            return node;
        }

        Node parameter() {
            if (parameter == null) {
                parameter = new Node();
            }
            return parameter;
        }
    }

    /** The routes one path matched: the most literal (the first among equals), and all of them once there are two. */
    private static final class Found {
        Route best;
        BitSet all;

        void add(Route route) {
            if (best == null) {
                best = route;
                return;
            }
            if (all == null) {
                all = new BitSet();
                all.set(best.index());
            }
            all.set(route.index());
            if (route.literalChars() > best.literalChars()
                    || (route.literalChars() == best.literalChars() && route.index() < best.index())) {
                best = route;
            }
        }

        void addAll(List<Route> routes) {
            for (int i = 0; i < routes.size(); i++) {
                add(routes.get(i));
            }
        }
    }

    /** JAX-RS template syntax: {@code {name}} is one segment, {@code {name: regex}} the given regex. */
    static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) {
                regex.append(Pattern.quote(template.substring(i, open)));
            }
            int depth = 0;
            int close = open;
            for (; close < template.length(); close++) {
                char c = template.charAt(close);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            String param = template.substring(open + 1, close);
            int colon = param.indexOf(':');
            regex.append(colon < 0 ? "[^/]+" : "(?:" + param.substring(colon + 1).trim() + ")");
            i = close + 1;
        }
        return Pattern.compile(regex + "/?");
    }

    private static int literalChars(String template) {
        return template.replaceAll("\\{[^}]*}", "").length();
    }
}
