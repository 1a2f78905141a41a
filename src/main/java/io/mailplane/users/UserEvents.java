package io.mailplane.users;

/**
 * Events the users feature fires inside its transaction, with the user's row locked, before it
 * changes a user in a way another feature may have to refuse: an observer vetoes by throwing an
 * {@code ApiException} (the change does not happen). Features above users observe them, so users
 * never depends on them.
 */
public final class UserEvents {
    private UserEvents() {
    }

    /** The user is about to be deleted through the users API. */
    public record Removing(long contextId, long userPk, int userId, String uidname) {
    }

    /** The user's password is about to be set through the users API. */
    public record PasswordChanging(long contextId, long userPk, int userId, String uidname) {
    }
}
