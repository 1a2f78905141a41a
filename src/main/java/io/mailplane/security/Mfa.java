package io.mailplane.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * TOTP multi-factor authentication of user accounts (issue 15: shared accounts with a password
 * require it). A user with an enrolment signs in only through {@code POST /api/2.0/authentication}
 * with a current one-time code.
 *
 * <p>INTERFACE STUB (lead, 2026-12-05): the signatures are fixed; the {@code h-mfa} branch
 * implements them (secret encrypted with SecretBox, replay refused). Until then enrol returns a
 * placeholder URI and nothing is required.
 */
@ApplicationScoped
public class Mfa {
    /** What an enrolment shows once: the {@code otpauth://totp/...} URI holding the new secret. */
    public record Enrolment(String otpauthUri) {
    }

    /**
     * Enrols (or re-enrols, replacing the secret) the user {@code userPk} with a new TOTP secret,
     * inside the caller's transaction. {@code accountName} is the label shown in authenticator apps
     * (the login). The URI is returned once and never again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Enrolment enrol(long userPk, String accountName) {
        return new Enrolment("otpauth://totp/Mailplane:" + accountName + "?secret=PENDING&issuer=Mailplane");
    }

    /** Removes the user's enrolment (and with it the requirement); nothing when there is none. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remove(long userPk) {
    }

    /** Whether the user must give a one-time code to sign in. */
    public boolean required(long userPk) {
        return false;
    }
}
