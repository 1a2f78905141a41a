package io.mailplane.secondary;

/**
 * The properties of a secondary account that each holder's entry carries (one row per user, as in
 * OX). {@code secret} is the sealed password ({@code SecretBox}); {@code transport} is null for a
 * receive-only account.
 */
record SecondaryAccount(int accountId, String name, String personal, String replyTo, String login, String secret,
                        Server mail, Server transport, SecondaryDtos.SecondaryFolders folders) {

    /** A resolved endpoint: where the account's mail is read or sent. */
    record Server(String source, String server, int port, String protocol, boolean secure, boolean starttls) {
        String uri() {
            return protocol + (secure ? "s" : "") + "://" + server + ":" + port;
        }
    }

    /** Whose entries a call is about: every user of the context, or these users and the members of these groups now. */
    record Targets(boolean everyone, java.util.Set<Integer> users, java.util.Set<Integer> groups) {
    }

    /** AES-GCM associated data: the password of this address in this context, whoever holds it. */
    static String secretContext(long contextId, String address) {
        return "secondary:" + contextId + ":" + address + ":password";
    }
}
