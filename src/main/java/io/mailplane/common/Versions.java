package io.mailplane.common;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * ETags and preconditions of versioned single resources. A row's version moves one way: its
 * entity's {@code @Version}, which Hibernate bumps when the row changes; a change held in other
 * tables (a user's attributes, aliases, lists) bumps its owner's version with
 * {@link RowLocks#bumpVersion}.
 */
public final class Versions {
    private Versions() {
    }

    public static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Evaluates the request's preconditions against the resource's current version with JAX-RS
     * ({@link Request#evaluatePreconditions(EntityTag)}: If-Match uses the strong comparison of
     * RFC 9110, section 13.1.1, so a weak tag {@code W/"n"} never matches) and answers what the write
     * expects: any version without If-Match or with {@code *}, else the one that matched, which the
     * service checks again under its row lock. 412 when they fail.
     *
     * @param ifMatch the raw If-Match header, only to tell whether one was sent
     */
    public static ExpectedVersion expected(Request request, String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return ExpectedVersion.ANY;
        }
        Response.ResponseBuilder failed;
        try {
            failed = request.evaluatePreconditions(etag(currentVersion));
        } catch (IllegalArgumentException unparseable) {
            failed = Response.status(Response.Status.PRECONDITION_FAILED);
        }
        if (failed != null) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                    "If-Match does not name the current version \"" + currentVersion + "\"; reload and retry.");
        }
        return ifMatch.trim().equals("*") ? ExpectedVersion.ANY : ExpectedVersion.of(currentVersion);
    }

    public static Response ok(Object body, long version) {
        return Response.ok(body).tag(etag(version)).build();
    }
}
