package io.mailplane.lists;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list filter answers at once whatever its stars (issue 9, item 1: it was a backtracking
 * regular expression), and the longest valid entry, {@code *@} and a 253-character domain, is
 * stored (item 4: it was a 500).
 */
@QuarkusTest
class ListFilterAndEntryLengthTest {
    private static final String LIST = "/oxaas/v1/admin/contexts/{cid}/users/{uid}/{list}";
    private static final String ENTRY = LIST + "/{value}";
    /** Far more than a linear match needs; a backtracking one takes minutes to forever. */
    private static final int ANSWER_WITHIN_MILLIS = 5_000;

    /** The caller gives up (and the test fails) instead of waiting for a request that hangs. */
    private static RequestSpecification impatient(RequestSpecification spec) {
        return spec.config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", ANSWER_WITHIN_MILLIS)
                .setParam("http.connection.timeout", ANSWER_WITHIN_MILLIS)));
    }

    private static long pk(UserRef user) {
        return Long.parseLong(Db.string("SELECT CONCAT(pk) FROM users WHERE uidname = ?", user.name()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blacklist", "whitelist"})
    void shouldAnswerAFilterOfManyStarsOverALongEntryAtOnce(String list) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String entry = "a".repeat(64) + "@" + "a".repeat(63) + "." + "a".repeat(50) + ".com";
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, entry).then().statusCode(200);

        long started = System.nanoTime();
        impatient(Fixtures.as(context)).get(ENTRY, context.id(), user.id(), list, "*a".repeat(12) + "*b")
                .then().statusCode(200).body(list, empty());
        impatient(Fixtures.as(context)).get(ENTRY, context.id(), user.id(), list, "*a".repeat(12) + "*m")
                .then().statusCode(200).body(list, contains(entry));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < ANSWER_WITHIN_MILLIS, "took " + millis + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blacklist", "whitelist"})
    void shouldMatchAFilterOf250StarsAgainstAThousandEntriesQuickly(String list) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        long pk = pk(user);
        String code = list.equals("blacklist") ? "B" : "W";
        String padding = "a".repeat(63) + "." + "a".repeat(63) + "." + "a".repeat(50);
        String values = IntStream.range(0, 1000)
                .mapToObj(i -> "(" + pk + ",'" + code + "','" + "a".repeat(50) + String.format("%04d", i) + "@" + padding + ".example')")
                .collect(Collectors.joining(","));
        assertEquals(1000, Db.update("INSERT INTO user_list_entries (user_pk, list, entry) VALUES " + values));

        long started = System.nanoTime();
        impatient(Fixtures.as(context)).get(ENTRY, context.id(), user.id(), list, "*".repeat(250) + "b")
                .then().statusCode(200).body(list, empty());
        impatient(Fixtures.as(context)).get(ENTRY, context.id(), user.id(), list, "*a".repeat(125) + "*e")
                .then().statusCode(200).body(list, hasSize(1000));
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("two filters of 250 stars over 1,000 entries: %d ms%n", millis);
        assertTrue(millis < ANSWER_WITHIN_MILLIS, "took " + millis + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blacklist", "whitelist"})
    void shouldStoreFindAndRemoveTheLongestEntryAWildcardAndA253CharacterDomainMake(String list) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String domain = "d".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(63) + "." + "example".repeat(8) + "abcde";
        assertEquals(253, domain.length());
        String entry = "*@" + domain;
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, entry)
                .then().statusCode(200).body(list, contains(entry));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "*@" + domain.toUpperCase())
                .then().statusCode(200).body(list, contains(entry));
        Fixtures.as(context).get(LIST, context.id(), user.id(), list).then().statusCode(200).body(list, contains(entry));
        // The filter can name the entry as a whole.
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, entry).then().statusCode(200).body(list, contains(entry));
        assertEquals(entry, Db.string("SELECT entry FROM user_list_entries WHERE user_pk = ?", pk(user)));
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, entry).then().statusCode(204);
        Fixtures.as(context).get(LIST, context.id(), user.id(), list).then().statusCode(200).body(list, empty());
        // One character more is no domain, and no filter.
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, entry + "c")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, entry + "c")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }
}
