package io.mailplane.users;

import static io.mailplane.testing.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Race;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Writes to one user without If-Match never fail because another write got there first: the
 * last writer wins, and adding an alias the user has already is a success that changes nothing.
 */
@QuarkusTest
class ConcurrentUserWritesTest {
    private static final String USER = "/oxaas/v1/admin/contexts/{cid}/users/{uid}";
    private static final int PARALLEL = 50;

    @Test
    void fiftySimultaneousDisplayNameChangesWithoutIfMatchAllSucceedAndEachIsApplied() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        int before = (int) version(user);
        List<Response> responses = Race.of(PARALLEL, i -> Fixtures.as(context).body(Map.of("displayName", "Writer " + i))
                .put(USER, context.id(), user.id()));
        assertEquals(Collections.nCopies(PARALLEL, 200), Race.statuses(responses), bodies(responses));
        // one after the other: every write bumped the version once, and the stored name is one of theirs
        assertEquals(before + PARALLEL, version(user));
        String name = Db.string("SELECT display_name FROM users WHERE context_id = ? AND user_id = ?", context.id(), user.id());
        assertTrue(name.startsWith("Writer "), name);
    }

    @Test
    void fiftySimultaneousAddsOfTheSameAliasAllSucceedAndStoreItOnce() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String alias = unique("same") + "@" + context.domain();
        List<Response> responses = Race.of(PARALLEL, i -> Fixtures.as(context).put(USER + "/aliases/{alias}", context.id(), user.id(), alias));
        assertEquals(Collections.nCopies(PARALLEL, 200), Race.statuses(responses), bodies(responses));
        responses.forEach(r -> assertEquals(List.of(alias), r.jsonPath().getList("aliases", String.class)));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM user_aliases a JOIN users u ON u.pk = a.user_pk"
                + " WHERE u.context_id = ? AND u.user_id = ?", context.id(), user.id()));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM mail_addresses WHERE address = ?", alias));
    }

    @Test
    void simultaneousAddsOfDifferentAliasesKeepEveryOne() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        List<String> aliases = IntStream.range(0, 20).mapToObj(i -> unique("a" + i + "x") + "@" + context.domain()).toList();
        List<Response> responses = Race.of(aliases.size(), i -> Fixtures.as(context)
                .put(USER + "/aliases/{alias}", context.id(), user.id(), aliases.get(i)));
        assertEquals(Collections.nCopies(aliases.size(), 200), Race.statuses(responses), bodies(responses));
        List<String> stored = Fixtures.as(context).get(USER + "/aliases", context.id(), user.id())
                .then().statusCode(200).extract().jsonPath().getList("aliases", String.class);
        assertEquals(aliases.stream().sorted().toList(), stored.stream().sorted().toList());
    }

    private static long version(UserRef user) {
        return Db.count("SELECT version FROM users WHERE context_id = ? AND user_id = ?", user.context().id(), user.id());
    }

    static String bodies(List<Response> responses) {
        return responses.stream().filter(r -> r.statusCode() != 200).map(r -> r.statusCode() + " " + r.asString()).toList().toString();
    }
}
