package io.mailplane.common;

/**
 * The version a write expects to replace: any (no If-Match, or {@code *}), or exactly one. A
 * service checks it against the row it has locked, so a writer that raced in between the
 * resource's precondition check and the lock still gets 412.
 */
public record ExpectedVersion(Long version) {
    public static final ExpectedVersion ANY = new ExpectedVersion(null);

    public static ExpectedVersion of(long version) {
        return new ExpectedVersion(version);
    }

    /** 412 unless the locked row's version is the expected one. */
    public void check(long lockedVersion) {
        if (version != null && version != lockedVersion) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                    "If-Match does not name the current version \"" + lockedVersion + "\"; reload and retry.");
        }
    }
}
