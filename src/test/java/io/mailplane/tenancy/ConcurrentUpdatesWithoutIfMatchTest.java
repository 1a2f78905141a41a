package io.mailplane.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Race;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Updates of resellers and contexts without If-Match: the last writer wins, none is refused. */
@QuarkusTest
class ConcurrentUpdatesWithoutIfMatchTest {
    private static final int PARALLEL = 30;

    @Test
    void simultaneousResellerUpdatesWithoutIfMatchAllSucceed() throws Exception {
        ResellerRef reseller = Fixtures.reseller();
        long before = Db.count("SELECT version FROM resellers WHERE id = ?", reseller.id());
        List<Response> responses = Race.of(PARALLEL, i -> Fixtures.asMaster().body(Map.of("displayName", "Name " + i))
                .put("/oxaas/v1/admin/resellers/{id}", reseller.id()));
        assertEquals(Collections.nCopies(PARALLEL, 200), Race.statuses(responses), failures(responses));
        assertEquals(before + PARALLEL, Db.count("SELECT version FROM resellers WHERE id = ?", reseller.id()));
    }

    @Test
    void simultaneousContextUpdatesWithoutIfMatchAllSucceed() throws Exception {
        ContextRef context = Fixtures.context();
        long before = Db.count("SELECT version FROM contexts WHERE id = ?", context.id());
        List<Response> responses = Race.of(PARALLEL, i -> Fixtures.as(context.reseller()).body(Map.of("maxQuotaMb", 1000 + i))
                .put("/oxaas/v1/admin/contexts/{id}", context.id()));
        assertEquals(Collections.nCopies(PARALLEL, 200), Race.statuses(responses), failures(responses));
        assertEquals(before + PARALLEL, Db.count("SELECT version FROM contexts WHERE id = ?", context.id()));
    }

    private static String failures(List<Response> responses) {
        return responses.stream().filter(r -> r.statusCode() != 200).map(r -> r.statusCode() + " " + r.asString()).toList().toString();
    }
}
