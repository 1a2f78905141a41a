package io.mailplane.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;

/** Updates of one group without If-Match: the last writer wins, none is refused. */
@QuarkusTest
class ConcurrentGroupUpdatesTest {
    private static final String GROUPS = "/oxaas/v1/admin/contexts/{cid}/groups";
    private static final int PARALLEL = 30;

    @Test
    void simultaneousGroupUpdatesWithoutIfMatchAllSucceed() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef first = Fixtures.user(context);
        UserRef second = Fixtures.user(context);
        int gid = Fixtures.as(context).body(Map.of("name", Fixtures.unique("g")))
                .post(GROUPS, context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
        List<Response> responses = Race.of(PARALLEL, i -> Fixtures.as(context)
                .body(Map.of("displayName", "Group " + i, "members", i % 2 == 0 ? List.of(first.id()) : List.of(first.id(), second.id())))
                .put(GROUPS + "/{gid}", context.id(), gid));
        assertEquals(Collections.nCopies(PARALLEL, 200), Race.statuses(responses),
                responses.stream().filter(r -> r.statusCode() != 200).map(Response::asString).toList().toString());
        assertEquals(PARALLEL, Db.count("SELECT version FROM groups_ WHERE context_id = ? AND group_id = ?", context.id(), gid));
    }
}
