package io.mailplane.mailaccounts;

/**
 * Everything needed to verify and store one account, with its secrets in plain text (memory
 * only, never logged). {@code name} is null when the request named nothing (an existing name
 * stays); {@code baseVersion} is the version of the stored account the draft was merged over,
 * or null when it merged nothing from it (a new account or a complete request).
 */
record AccountDraft(String email, String name, boolean imap, boolean restrict, ServerSettings in, ServerSettings smtp,
                    Integer baseVersion) {
    AccountDraft(String email, String name, boolean imap, boolean restrict, ServerSettings in, ServerSettings smtp) {
        this(email, name, imap, restrict, in, smtp, null);
    }

    @Override
    public String toString() {
        return "AccountDraft[" + email + ", " + in + ", " + smtp + ", base " + baseVersion + "]"; // no secrets
    }
}
