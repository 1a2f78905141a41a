package io.mailplane.common;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/** ETag / If-Match handling for versioned single resources. */
public final class Versions {
    private Versions() {
    }

    public static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Throws 412 when {@code ifMatch} is present and names neither {@code *} nor the current version.
     * If-Match uses the strong comparison (RFC 9110, section 13.1.1): a weak tag ({@code W/"n"})
     * never matches.
     */
    public static void checkIfMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = "\"" + currentVersion + "\"";
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(current)) {
                return;
            }
        }
        throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                "If-Match does not name the current version " + current + "; reload and retry.");
    }

    public static Response ok(Object body, long version) {
        return Response.ok(body).tag(etag(version)).build();
    }
}
