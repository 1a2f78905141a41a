package io.mailplane.directory;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * One namespace for every login an account signs in with by name alone: the master login, reseller
 * names, tenant-credential logins and user logins never coincide (case-insensitively, as the
 * database compares them). A user login may not take the form {@code <admin>@<context>} either
 * where that context's admin is {@code <admin>}: that name signs in as the context admin.
 *
 * <p>Concurrency: the table {@code login_claims} holds each login once (primary key) with its
 * one owner. A claim is an insert into it, made in the transaction that creates or renames the
 * account, after the account's own row; two transactions claiming one login serialise on that
 * key (the second waits for the first to end, then finds the login taken, or free after a
 * rollback). No read-then-write gap and no lock order to keep. Deleting an account releases its
 * claim by cascade.
 */
@ApplicationScoped
public class LoginClaims {
    private final EntityManager em;
    private final String masterLogin;

    public LoginClaims(EntityManager em, MailplaneConfig config) {
        this.em = em;
        this.masterLogin = config.master().login();
    }

    /** Claims {@code login} for the (flushed) user {@code userPk}, releasing its previous login; 409 {@code USER_EXISTS} when taken. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimForUser(String login, long userPk) {
        ApiException taken = new ApiException(ErrorCode.USER_EXISTS,
                "The login '" + login + "' is taken by another account.");
        int at = login.lastIndexOf('@');
        if (at > 0 && at < login.length() - 1) {
            String admin = login.substring(0, at);
            if (TenantContext.byIdOrName(login.substring(at + 1)).filter(c -> c.adminLogin.equalsIgnoreCase(admin)).isPresent()) {
                throw new ApiException(ErrorCode.USER_EXISTS,
                        "The login '" + login + "' is the sign-in name of a context's admin.");
            }
        }
        claim(login, "user_pk", userPk, taken);
    }

    /** Claims {@code login} for the (flushed) reseller {@code resellerId}; 409 {@code RESELLER_EXISTS} when taken. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimForReseller(String login, long resellerId) {
        claim(login, "reseller_id", resellerId, new ApiException(ErrorCode.RESELLER_EXISTS,
                "The name '" + login + "' is taken by another account."));
    }

    /**
     * Claims {@code login} for the (flushed) tenant credentials of {@code resellerId}, releasing
     * their previous login; 409 {@code TENANT_LOGIN_EXISTS} when taken.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimForTenant(String login, long resellerId) {
        claim(login, "tenant_reseller_id", resellerId, new ApiException(ErrorCode.TENANT_LOGIN_EXISTS,
                "Tenant login '" + login + "' is taken by another account."));
    }

    /** {@code column} is one of the three owner columns, never input. */
    private void claim(String login, String column, long owner, ApiException taken) {
        if (login.equalsIgnoreCase(masterLogin)) {
            throw taken;
        }
        // The owner's row must exist before the claim can name it.
        em.flush();
        em.createNativeQuery("DELETE FROM login_claims WHERE " + column + " = ?1 AND login <> ?2")
                .setParameter(1, owner).setParameter(2, login).executeUpdate();
        int inserted = em.createNativeQuery("INSERT IGNORE INTO login_claims (login, " + column + ") VALUES (?1, ?2)")
                .setParameter(1, login).setParameter(2, owner).executeUpdate();
        if (inserted == 0) {
            // The login is claimed already: by this very account (same name, maybe in another case), or taken.
            @SuppressWarnings("unchecked")
            List<Number> holder = em.createNativeQuery("SELECT " + column + " FROM login_claims WHERE login = ?1")
                    .setParameter(1, login).getResultList();
            if (holder.isEmpty() || holder.get(0) == null || holder.get(0).longValue() != owner) {
                throw taken;
            }
        }
    }
}
