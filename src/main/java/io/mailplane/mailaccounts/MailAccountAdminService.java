package io.mailplane.mailaccounts;

import io.mailplane.directory.DirectoryRepository;
import io.mailplane.audit.AuditLog;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * A context admin's offboarding of a user's external accounts ({@link MailAccountAdminResource}):
 * listed, and deleted with an audit record each. No mail server is involved, so each operation is
 * one plain transaction; a deletion locks the user row first, like every write to a user's
 * accounts, so it serialises with the user's own saves.
 */
@ApplicationScoped
public class MailAccountAdminService {
    private final MailAccountRepository accounts;
    private final DirectoryRepository directory;
    private final RowLocks locks;
    private final AuditLog audit;

    public MailAccountAdminService(MailAccountRepository accounts, DirectoryRepository directory, RowLocks locks, AuditLog audit) {
        this.accounts = accounts;
        this.directory = directory;
        this.locks = locks;
        this.audit = audit;
    }

    /** The user's accounts; empty when the user does not exist. */
    @Transactional
    public Optional<List<MailAccount>> listFor(TenantContext context, int userId) {
        return directory.userPk(context.id, userId).map(accounts::list);
    }

    /** Deletes one (or, with {@code mailboxId == null}, every) external account of a user, recorded in the audit log. */
    @Transactional
    public Optional<List<MailAccount>> deleteFor(TenantContext context, int userId, Long mailboxId) {
        Optional<Long> pk = locks.user(context.id, userId);
        if (pk.isEmpty()) {
            return Optional.empty();
        }
        List<MailAccount> doomed = mailboxId == null ? accounts.list(pk.get())
                : accounts.find(pk.get(), mailboxId).map(List::of).orElse(List.of());
        for (MailAccount a : doomed) {
            accounts.delete(a);
            audit.record("mailaccount.delete", "external account " + a.id + " (" + a.email + ") of user " + userId,
                    context.resellerId, context.id);
        }
        return Optional.of(doomed);
    }
}
