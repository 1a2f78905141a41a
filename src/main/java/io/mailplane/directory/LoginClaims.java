package io.mailplane.directory;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.directory.DirectoryRepository.ClaimOwner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

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
 * claim by cascade. The SQL is in {@link DirectoryRepository#claimLogin}.
 */
@ApplicationScoped
public class LoginClaims {
    private final DirectoryRepository repository;
    private final String masterLogin;

    public LoginClaims(DirectoryRepository repository, MailplaneConfig config) {
        this.repository = repository;
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
            if (repository.contextByIdOrName(login.substring(at + 1)).filter(c -> c.adminLogin.equalsIgnoreCase(admin)).isPresent()) {
                throw new ApiException(ErrorCode.USER_EXISTS,
                        "The login '" + login + "' is the sign-in name of a context's admin.");
            }
        }
        claim(login, ClaimOwner.USER, userPk, taken);
    }

    /** Claims {@code login} for the (flushed) reseller {@code resellerId}; 409 {@code RESELLER_EXISTS} when taken. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimForReseller(String login, long resellerId) {
        claim(login, ClaimOwner.RESELLER, resellerId, new ApiException(ErrorCode.RESELLER_EXISTS,
                "The name '" + login + "' is taken by another account."));
    }

    /**
     * Claims {@code login} for the (flushed) tenant credentials of {@code resellerId}, releasing
     * their previous login; 409 {@code TENANT_LOGIN_EXISTS} when taken.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimForTenant(String login, long resellerId) {
        claim(login, ClaimOwner.TENANT, resellerId, new ApiException(ErrorCode.TENANT_LOGIN_EXISTS,
                "Tenant login '" + login + "' is taken by another account."));
    }

    private void claim(String login, ClaimOwner owner, long ownerId, ApiException taken) {
        if (login.equalsIgnoreCase(masterLogin) || !repository.claimLogin(login, owner, ownerId)) {
            throw taken;
        }
    }
}
