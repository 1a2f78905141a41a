package io.mailplane.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The list filter's wildcard matching: its meaning, and time linear in the entry whatever the pattern. */
class WildcardsTest {

    @ParameterizedTest(name = "{0} ~ {1} → {2}")
    @CsvSource({
            "*,                    '',                        true",
            "*,                    anything@x.example,        true",
            "**,                   a,                         true",
            "'*@spam.example',     '*@spam.example',          true",
            "'*@spam.example',     bob@spam.example,          true",
            "'*@spam.example',     bob@spam.example.org,      false",
            "bob*,                 bob@x.example,             true",
            "bob*,                 bobby@x.example,           true",
            "bob*,                 xbob@x.example,            false",
            "*good*,               alice@good.example,        true",
            "*good*,               alice@bad.example,         false",
            "a*b,                  ab,                        true",
            "a*b,                  a,                         false",
            "a*a,                  a,                         false",
            "a*a,                  aa,                        true",
            "*a*a*,                aXa,                       true",
            "*a*a*,                aX,                        false",
            "*aba*,                xxababyy,                  true",
            "*abab*,               xxabaabyy,                 false",
            "*aab,                 aaaab,                     true",
            "a*b*c,                abc,                       true",
            "a*b*c,                acb,                       false",
            "a*b*c,                a-c-b-c,                   true",
            "Bob@Spam.Example,     bob@spam.example,          true",
            "bob@spam.example,     BOB@SPAM.EXAMPLE,          true",
            "*@SPAM.*,             bob@spam.example,          true",
            "bob@spam.example,     bob@spam.example.org,      false",
            "bob@spam.example,     xbob@spam.example,         false",
            "'',                   '',                        true",
    })
    void shouldMatchAnEntryAsAWholeWithStarForAnyCharactersIgnoringCase(String pattern, String text, boolean expected) {
        assertEquals(expected, Wildcards.compile(pattern).matches(text));
    }

    @Test
    void shouldAgreeWithTheRegularExpressionItReplacesOnRandomShortInputs() {
        Random random = new Random(42);
        String alphabet = "abAB*";
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomString(random, alphabet, 8);
            String text = randomString(random, "abAB", 10);
            Pattern regex = Pattern.compile(String.join(".*", List.of(pattern.split("\\*", -1)).stream()
                    .map(p -> p.isEmpty() ? "" : Pattern.quote(p)).toList()), Pattern.CASE_INSENSITIVE);
            assertEquals(regex.matcher(text).matches(), Wildcards.compile(pattern).matches(text),
                    () -> "pattern '" + pattern + "' on '" + text + "'");
        }
    }

    @Test
    void shouldAnswerThePathologicalFilterAtOnce() {
        String entry = "a".repeat(64) + "@" + "a".repeat(63) + "." + "a".repeat(63) + ".com";
        String pattern = "*a".repeat(120) + "*b";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(Wildcards.compile(pattern).matches(entry)));
    }

    @Test
    void shouldMatchAFilterOf250StarsAgainstAThousandLongEntriesInMilliseconds() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            entries.add("a".repeat(60) + i + "@" + "a".repeat(63) + "." + "a".repeat(63) + "." + "a".repeat(50) + ".com");
        }
        String pattern = "*".repeat(250) + "a";
        String pathological = "*a".repeat(125) + "b";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            Wildcards stars = Wildcards.compile(pattern);
            Wildcards mixed = Wildcards.compile(pathological.substring(0, 250));
            long started = System.nanoTime();
            long matched = entries.stream().filter(stars::matches).count();
            long mixedMatched = entries.stream().filter(mixed::matches).count();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, matched, "no entry ends in 'a'");
            assertEquals(0, mixedMatched);
            assertTrue(millis < 1000, "took " + millis + " ms");
        });
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
