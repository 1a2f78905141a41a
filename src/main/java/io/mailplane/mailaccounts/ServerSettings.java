package io.mailplane.mailaccounts;

/**
 * One side of an account as the verifier needs it: where to connect, how to secure the
 * connection and how to log in. {@code secret} is the password or the OAuth2 access token.
 */
public record ServerSettings(Side side, String host, int port, String login, String secret,
                             Encryption encryption, AuthType auth, boolean authenticate) {

    /** The servers an account talks to; the names appear in verification errors. */
    public enum Side {
        IMAP("imap"), POP3("pop3"), SMTP("smtp");

        final String protocol;

        Side(String protocol) {
            this.protocol = protocol;
        }

        public int defaultPort(Encryption encryption) {
            return switch (this) {
                case IMAP -> encryption == Encryption.SSL ? 993 : 143;
                case POP3 -> encryption == Encryption.SSL ? 995 : 110;
                case SMTP -> encryption == Encryption.SSL ? 465 : 587;
            };
        }
    }

    @Override
    public String toString() {
        return side + " " + login + "@" + host + ":" + port + " (" + encryption + ", " + auth + ")";
    }
}
