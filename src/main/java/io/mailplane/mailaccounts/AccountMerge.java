package io.mailplane.mailaccounts;

import io.mailplane.common.ApiException;
import io.mailplane.mailaccounts.MailAccountDtos.AccountRequest;
import io.mailplane.mailaccounts.ServerSettings.Side;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How an upsert's request merges into the stored account (or, for a new one, into the
 * defaults), and how a verified draft lands on the stored row. Plain rules: no CDI, no database;
 * secrets are opened and sealed by the functions the caller passes ({@code SecretBox::open},
 * {@code SecretBox::seal}).
 * <ul>
 * <li>Every omitted field keeps the stored value; for a new account it takes the default: IMAP,
 * no encryption, {@code Login} authentication, the address as login, import restricted, SMTP
 * authentication on, an empty name.</li>
 * <li>An omitted port keeps the stored one unless the protocol or that side's encryption changes;
 * then (and for a new account) it is the default port of the protocol and encryption.</li>
 * <li>An omitted SMTP login keeps a stored SMTP login that differed from the incoming one, else
 * follows the incoming login.</li>
 * <li>An empty or omitted password keeps the stored one (required for a new account). An omitted
 * SMTP password keeps a stored SMTP password that differed from the incoming one, else follows the
 * incoming password; SMTP without authentication has neither login nor password.</li>
 * <li>Stored secrets are opened only when the request relies on them: a new password repairs an
 * account whose stored one can no longer be decrypted.</li>
 * <li>{@code smtp_auth} omitted follows {@code auth_type_smtp} when that is given ({@code None}
 * means off). {@code CramMd5} is refused for POP3.</li>
 * </ul>
 */
final class AccountMerge {
    private AccountMerge() {
    }

    /** Decrypts a stored secret bound to {@code context} ({@code SecretBox::open}). */
    @FunctionalInterface
    interface Opener {
        String open(String sealed, String context);
    }

    /** Encrypts a secret bound to {@code context} ({@code SecretBox::seal}). */
    @FunctionalInterface
    interface Sealer {
        String seal(String plain, String context);
    }

    /** Merges {@code r} over {@code old} (null for a new account); throws a 400 {@link ApiException} for a rule broken. */
    static AccountDraft merge(String email, AccountRequest r, MailAccount old, Opener secrets) {
        boolean imap = r.imap() != null ? r.imap() : old == null || old.imap;
        Side side = imap ? Side.IMAP : Side.POP3;
        Encryption inEnc = r.incoming_encryption_type() != null ? r.incoming_encryption_type()
                : old != null ? Encryption.ofCode(old.inEncryption) : Encryption.None;
        AuthType inAuth = r.auth_type_in() != null ? r.auth_type_in() : old != null ? AuthType.ofCode(old.inAuth) : AuthType.Login;
        if (side == Side.POP3 && inAuth == AuthType.CramMd5) {
            throw ApiException.invalid("auth_type_in", "CramMd5 is not available for POP3");
        }
        int inPort = r.port() != null ? r.port() : old != null && r.incoming_encryption_type() == null && r.imap() == null ? old.inPort : side.defaultPort(inEnc);
        String inLogin = r.account() != null ? r.account() : old != null ? old.inLogin : email;
        Supplier<String> oldInSecret = () -> old == null ? null : secrets.open(old.inSecret, MailAccount.secretContext(old.userPk, old.email, "in"));
        String inSecret = present(r.password()) ? r.password() : oldInSecret.get();
        if (inSecret == null) {
            throw ApiException.invalid("password", "is required for a new account");
        }

        Encryption smtpEnc = r.outcoming_encryption_type() != null ? r.outcoming_encryption_type()
                : old != null ? Encryption.ofCode(old.smtpEncryption) : Encryption.None;
        AuthType smtpAuthType = r.auth_type_smtp() != null ? r.auth_type_smtp()
                : old != null ? AuthType.ofCode(old.smtpAuthType) : AuthType.Login;
        boolean smtpAuth = r.smtp_auth() != null ? r.smtp_auth()
                : r.auth_type_smtp() != null ? r.auth_type_smtp() != AuthType.None
                : old == null || old.smtpAuth;
        int smtpPort = r.smtp_port() != null ? r.smtp_port()
                : old != null && r.outcoming_encryption_type() == null ? old.smtpPort : Side.SMTP.defaultPort(smtpEnc);
        String smtpLogin = r.smtp_account() != null ? r.smtp_account()
                : old != null && old.smtpLogin != null && !old.smtpLogin.equals(old.inLogin) ? old.smtpLogin : inLogin;
        String smtpSecret = null;
        if (smtpAuth && present(r.smtp_password())) {
            smtpSecret = r.smtp_password();
        } else if (smtpAuth) {
            String oldSmtp = old == null || old.smtpSecret == null ? null
                    : secrets.open(old.smtpSecret, MailAccount.secretContext(old.userPk, old.email, "smtp"));
            boolean sharedBefore = oldSmtp == null || oldSmtp.equals(oldInSecret.get());
            smtpSecret = sharedBefore ? inSecret : oldSmtp;
        }
        String name = r.name() != null ? r.name() : old != null ? old.name : "";
        boolean restrict = r.restrict() != null ? r.restrict() : old == null || old.restrictImport;
        return new AccountDraft(email, name, imap, restrict,
                new ServerSettings(side, r.server(), inPort, inLogin, inSecret, inEnc, inAuth, true),
                new ServerSettings(Side.SMTP, r.smtp_server(), smtpPort, smtpLogin, smtpSecret, smtpEnc, smtpAuthType, smtpAuth),
                old == null || !mergesStoredState(r) ? null : old.version);
    }

    /**
     * Whether the request leaves something to the stored account (an omitted field or password):
     * such a merge must not land over a change made meanwhile. A complete request, as ONLYOFFICE
     * clients send, replaces the settings whatever happened in between.
     */
    static boolean mergesStoredState(AccountRequest r) {
        return r.name() == null || r.account() == null || !present(r.password()) || r.port() == null
                || r.smtp_account() == null || r.smtp_port() == null || r.smtp_auth() == null || r.imap() == null
                || r.restrict() == null || r.incoming_encryption_type() == null || r.outcoming_encryption_type() == null
                || r.auth_type_in() == null || r.auth_type_smtp() == null
                || (!present(r.smtp_password()) && !Boolean.FALSE.equals(r.smtp_auth()));
    }

    /**
     * Writes a verified draft onto {@code a} (a new, unsaved account of {@code userPk}, or the stored
     * one), its secrets sealed. A new account is enabled; a draft without a name (accounts/simple)
     * keeps the stored name; signature, auto-reply, state and default flag are never touched.
     */
    static void apply(AccountDraft draft, MailAccount a, long userPk, Sealer secrets) {
        if (a.id == null) {
            a.userPk = userPk;
            a.email = draft.email();
            a.emailDomain = draft.email().substring(draft.email().lastIndexOf('@') + 1);
            a.enabled = true;
        }
        if (a.id == null || draft.name() != null) {
            a.name = draft.name() == null ? "" : draft.name();
        }
        a.imap = draft.imap();
        a.restrictImport = draft.restrict();
        ServerSettings in = draft.in();
        a.inServer = in.host();
        a.inPort = in.port();
        a.inLogin = in.login();
        a.inEncryption = in.encryption().code;
        a.inAuth = in.auth().code;
        a.inSecret = secrets.seal(in.secret(), MailAccount.secretContext(userPk, a.email, "in"));
        ServerSettings smtp = draft.smtp();
        a.smtpServer = smtp.host();
        a.smtpPort = smtp.port();
        a.smtpAuth = smtp.authenticate();
        a.smtpLogin = smtp.authenticate() ? smtp.login() : null;
        a.smtpEncryption = smtp.encryption().code;
        a.smtpAuthType = smtp.auth().code;
        a.smtpSecret = smtp.authenticate() ? secrets.seal(smtp.secret(), MailAccount.secretContext(userPk, a.email, "smtp")) : null;
        a.updatedAt = Instant.now();
    }

    /** The stored settings of one side, secrets decrypted, for verifying them again. */
    static ServerSettings stored(MailAccount a, Side side, Opener secrets) {
        if (side == Side.SMTP) {
            return new ServerSettings(Side.SMTP, a.smtpServer, a.smtpPort, a.smtpLogin,
                    a.smtpSecret == null ? null : secrets.open(a.smtpSecret, MailAccount.secretContext(a.userPk, a.email, "smtp")),
                    Encryption.ofCode(a.smtpEncryption), AuthType.ofCode(a.smtpAuthType), a.smtpAuth);
        }
        return new ServerSettings(side, a.inServer, a.inPort, a.inLogin,
                secrets.open(a.inSecret, MailAccount.secretContext(a.userPk, a.email, "in")),
                Encryption.ofCode(a.inEncryption), AuthType.ofCode(a.inAuth), true);
    }

    static boolean present(String secret) {
        return secret != null && !secret.isEmpty();
    }
}
