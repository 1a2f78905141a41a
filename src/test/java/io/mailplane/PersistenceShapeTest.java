package io.mailplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The persistence shape of README's "Layout" and "Locks", checked on the sources: the database is
 * reached only from a feature's {@code *Repository} classes and from {@code common/RowLocks}
 * (entity manager, queries, JDBC, Panache's active-record calls), and row locks are taken only in
 * {@code RowLocks} (its SQL and its lock modes). Comments may name them; code may not.
 */
class PersistenceShapeTest {
    private static final Path SOURCES = Path.of("src/main/java/io/mailplane");
    private static final Path ROW_LOCKS = Path.of("common/RowLocks.java");

    /** Reaching the database: JPA, JDBC and Panache's static helpers (string literals not included). */
    private static final List<Pattern> PERSISTENCE = List.of(
            Pattern.compile("\\bEntityManager\\b"),
            Pattern.compile("\\bgetEntityManager\\b"),
            Pattern.compile("\\bcreate(Native|Named)?Query\\b"),
            Pattern.compile("\\b\\w*DataSource\\b"),
            Pattern.compile("\\b(DriverManager|Connection|Statement|PreparedStatement|CallableStatement|ResultSet)\\b"),
            Pattern.compile("\\bPanache\\s*\\."),
            Pattern.compile("\\bPanacheRepository(Base)?\\b"),
            Pattern.compile("\\.\\s*(persist|persistAndFlush|isPersistent)\\s*\\("),
            Pattern.compile("\\.\\s*delete\\s*\\(\\s*\\)"));

    /** Panache's static calls on an entity class ({@code Mailbox.find(...)}, {@code MailUser.deleteById(...)}). */
    private static final String ENTITY_CALL = "\\b(%s)\\s*\\.\\s*(find\\w*|list\\w*|stream\\w*|count|delete\\w*|persist\\w*|update|flush)\\s*\\(";

    /** Taking a row lock: its SQL (string literals included) and JPA's lock modes. */
    private static final List<Pattern> LOCKS = List.of(
            Pattern.compile("\\bFOR\\s+UPDATE\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bFOR\\s+SHARE\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bSKIP\\s+LOCKED\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bLockModeType\\b"),
            Pattern.compile("\\b(setLockMode|withLock)\\b"));

    private static final Pattern ENTITY = Pattern.compile("\\bclass\\s+(\\w+)\\s+extends\\s+PanacheEntity(Base)?\\b");

    @Test
    void onlyRepositoriesAndRowLocksReachTheDatabase() {
        List<String> found = new ArrayList<>();
        List<Pattern> patterns = persistencePatterns(entities());
        sources().forEach(file -> {
            Path relative = SOURCES.relativize(file);
            if (!file.getFileName().toString().endsWith("Repository.java") && !relative.equals(ROW_LOCKS)) {
                found.addAll(violations(relative.toString(), withoutStrings(withoutComments(read(file))), patterns));
            }
        });
        assertEquals(List.of(), found, "persistence belongs in the feature's *Repository (row locks in common/RowLocks)");
    }

    @Test
    void onlyRowLocksTakesRowLocks() {
        List<String> found = new ArrayList<>();
        sources().forEach(file -> {
            Path relative = SOURCES.relativize(file);
            if (!relative.equals(ROW_LOCKS)) {
                found.addAll(violations(relative.toString(), withoutComments(read(file)), LOCKS));
            }
        });
        assertEquals(List.of(), found, "row locks belong in common/RowLocks, in its lock order");
    }

    @Test
    void theScanFindsWhatItForbidsAndNotWhatCommentsAndHeadersSay() {
        String source = """
                class Sneaky {
                    // em.createNativeQuery("SELECT 1 FOR UPDATE") in a comment is fine
                    /* so is LockModeType.PESSIMISTIC_WRITE here */
                    String header = "Connection";
                    HttpConnection http;
                    void a() { Mailbox.find("id", 1L); }
                    void b(Mailbox m) { m.persist(); }
                    void c() { em.createNativeQuery("SELECT id FROM users WHERE pk = 1 for update"); }
                    void d() { em.lock(u, LockModeType.OPTIMISTIC_FORCE_INCREMENT); }
                    java.sql.Connection e;
                    String f = \"""
                        SELECT id FROM users LOCK IN SHARE MODE
                        \""";
                }
                """;
        List<String> persistence = violations("Sneaky.java", withoutStrings(withoutComments(source)),
                persistencePatterns(Set.of("Mailbox")));
        List<String> locks = violations("Sneaky.java", withoutComments(source), LOCKS);
        assertEquals(List.of("Sneaky.java:6", "Sneaky.java:7", "Sneaky.java:8", "Sneaky.java:10"), lines(persistence));
        assertEquals(List.of("Sneaky.java:8", "Sneaky.java:9", "Sneaky.java:12"), lines(locks));
    }

    private static List<String> lines(List<String> violations) {
        return violations.stream().map(v -> v.substring(0, v.indexOf(':', v.indexOf(':') + 1))).distinct().toList();
    }

    private static List<Pattern> persistencePatterns(Set<String> entities) {
        List<Pattern> patterns = new ArrayList<>(PERSISTENCE);
        if (!entities.isEmpty()) {
            patterns.add(Pattern.compile(ENTITY_CALL.formatted(String.join("|", entities))));
        }
        return patterns;
    }

    /** The Panache entities of the service, by simple name. */
    private static Set<String> entities() {
        Set<String> names = new TreeSet<>();
        sources().forEach(file -> {
            Matcher m = ENTITY.matcher(withoutComments(read(file)));
            while (m.find()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    /** {@code file:line: code} for each line of {@code code} that a pattern matches. */
    private static List<String> violations(String file, String code, List<Pattern> patterns) {
        List<String> found = new ArrayList<>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            for (Pattern p : patterns) {
                if (p.matcher(lines[i]).find()) {
                    found.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                    break;
                }
            }
        }
        return found;
    }

    /** The source with its comments blanked out (line breaks kept, so line numbers stay). */
    static String withoutComments(String source) {
        return blank(source, true, false);
    }

    /** The source with the contents of its string and character literals blanked out (line breaks kept). */
    static String withoutStrings(String source) {
        return blank(source, false, true);
    }

    private static String blank(String s, boolean comments, boolean strings) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                end = end < 0 ? s.length() : end;
                out.append(comments ? spaces(s, i, end) : s.substring(i, end));
                i = end;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                out.append(comments ? spaces(s, i, end) : s.substring(i, end));
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                out.append(strings ? "\"\"\"" + spaces(s, i + 3, end - 3) + "\"\"\"" : s.substring(i, end));
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != c && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, s.length());
                out.append(strings ? c + spaces(s, i + 1, end - 1) + c : s.substring(i, end));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code s[from, to)} as blanks, its line breaks kept. */
    private static String spaces(String s, int from, int to) {
        StringBuilder b = new StringBuilder(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            b.append(s.charAt(i) == '\n' ? '\n' : ' ');
        }
        return b.toString();
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
