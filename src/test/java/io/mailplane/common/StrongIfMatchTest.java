package io.mailplane.common;

import static org.hamcrest.Matchers.equalTo;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** If-Match compares entity tags strongly (RFC 9110, 13.1.1): a weak tag never matches. */
@QuarkusTest
class StrongIfMatchTest {
    private static final String USER = "/oxaas/v1/admin/contexts/{cid}/users/{uid}";

    @Test
    void aWeakTagOfTheCurrentVersionInIfMatchIsRefusedWith412AndChangesNothing() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String etag = Fixtures.as(context).get(USER, context.id(), user.id()).then().statusCode(200).extract().header("ETag");
        Snapshot before = Snapshot.take();
        for (String ifMatch : new String[] {"W/" + etag, "\"999\", W/" + etag, "W/" + etag + ", W/\"999\""}) {
            Fixtures.as(context).header("If-Match", ifMatch).body(Map.of("displayName", "Weak"))
                    .put(USER, context.id(), user.id())
                    .then().statusCode(412).contentType("application/problem+json").body("code", equalTo("PRECONDITION_FAILED"));
            Fixtures.as(context).header("If-Match", ifMatch).delete(USER, context.id(), user.id())
                    .then().statusCode(412).body("code", equalTo("PRECONDITION_FAILED"));
        }
        before.assertUnchanged("a refused weak If-Match");
    }

    @Test
    void theStrongTagOrAStarInIfMatchMatches() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String etag = Fixtures.as(context).get(USER, context.id(), user.id()).then().statusCode(200).extract().header("ETag");
        Fixtures.as(context).header("If-Match", "W/\"999\", " + etag).body(Map.of("displayName", "Strong"))
                .put(USER, context.id(), user.id()).then().statusCode(200).body("displayName", equalTo("Strong"));
        Fixtures.as(context).header("If-Match", "*").body(Map.of("displayName", "Star"))
                .put(USER, context.id(), user.id()).then().statusCode(200).body("displayName", equalTo("Star"));
    }
}
