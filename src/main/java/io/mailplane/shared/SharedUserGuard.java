package io.mailplane.shared;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.users.UserEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Vetoes changes through the users API that would break a shared account: deleting a user who owns
 * shared accounts (transfer them first: PUT .../sharedaccounts/{address} {"owner":N}), deleting a
 * shared account's backing user, or setting its password there (both go through /sharedaccounts,
 * which keeps the type, MFA and delegations right). Runs inside the users feature's transaction,
 * with the user's row locked.
 */
@ApplicationScoped
public class SharedUserGuard {
    private final SharedRepository repository;

    public SharedUserGuard(SharedRepository repository) {
        this.repository = repository;
    }

    void onRemoving(@Observes UserEvents.Removing e) {
        long owned = repository.ownedCount(e.userPk());
        if (owned > 0) {
            throw new ApiException(ErrorCode.SHARED_ACCOUNT_OWNER, "User " + e.userId() + " (" + e.uidname() + ") owns " + owned
                    + " shared account(s); give them another owner (PUT .../sharedaccounts/{address} {\"owner\":N}) or delete them first.");
        }
        refuseSharedAccount(e.userPk(), e.userId(), e.uidname(), "DELETE .../sharedaccounts/{address}");
    }

    void onPasswordChanging(@Observes UserEvents.PasswordChanging e) {
        refuseSharedAccount(e.userPk(), e.userId(), e.uidname(), "PUT .../sharedaccounts/{address} {\"password\":...}");
    }

    private void refuseSharedAccount(long userPk, int userId, String uidname, String instead) {
        if (repository.isSharedAccount(userPk)) {
            throw new ApiException(ErrorCode.SHARED_ACCOUNT_USER, "User " + userId + " (" + uidname + ") is a shared account; use " + instead + ".");
        }
    }
}
