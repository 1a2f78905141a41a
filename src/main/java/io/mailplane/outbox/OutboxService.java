package io.mailplane.outbox;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Paging;
import io.mailplane.directory.ResellerTree;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * What operators do with the outbox: read it, send a mail again, cancel one. {@code treeRoot} is
 * the caller's reseller ({@code null}: the master admin, who sees every row, also rows whose
 * reseller was deleted); a row of another tree is reported missing.
 */
@ApplicationScoped
public class OutboxService {
    private final OutboxRepository repository;
    private final ResellerTree tree;
    private final OutboxWorker worker;
    private final AuditLog audit;

    public OutboxService(OutboxRepository repository, ResellerTree tree, OutboxWorker worker, AuditLog audit) {
        this.repository = repository;
        this.tree = tree;
        this.worker = worker;
        this.audit = audit;
    }

    public List<OutboxEntry> list(Long treeRoot, String status, Paging paging) {
        return repository.newestFirst(treeRoot == null ? null : tree.subtree(treeRoot), status, paging);
    }

    public Optional<OutboxEntry> find(Long treeRoot, long id) {
        return repository.find(id).filter(e -> visible(treeRoot, e));
    }

    /** A failed or queued mail goes back to the queue, due now, with a fresh set of attempts; empty when the caller cannot see it. */
    public Optional<OutboxEntry> retry(Long treeRoot, long id) {
        Optional<OutboxEntry> entry = steer(treeRoot, id, Action.RETRY, List.of(OutboxEntry.FAILED, OutboxEntry.QUEUED));
        entry.ifPresent(e -> worker.wake());
        return entry;
    }

    /** Cancels a queued mail; empty when the caller cannot see it. */
    public Optional<OutboxEntry> cancel(Long treeRoot, long id) {
        return steer(treeRoot, id, Action.CANCEL, List.of(OutboxEntry.QUEUED));
    }

    /** What an operator does to an entry, as the audit log and the 409 name it. */
    enum Action {
        RETRY("retry", "retried"), CANCEL("cancel", "cancelled");

        final String name;
        final String done;

        Action(String name, String done) {
            this.name = name;
            this.done = done;
        }
    }

    @Transactional
    Optional<OutboxEntry> steer(Long treeRoot, long id, Action action, List<String> allowed) {
        Optional<OutboxEntry> seen = find(treeRoot, id);
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        String status = repository.lock(id).orElse(null);
        if (status == null) {
            return Optional.empty();
        }
        if (!allowed.contains(status)) {
            throw new ApiException(ErrorCode.OUTBOX_ENTRY_STATE, "Outbox entry " + id + " is " + status + "; only a "
                    + String.join(" or ", allowed) + " entry can be " + action.done + ".");
        }
        switch (action) {
            case RETRY -> repository.requeue(id);
            case CANCEL -> repository.cancel(id);
        }
        OutboxEntry e = seen.get();
        audit.record("notification.outbox." + action.name, "outbox " + id + " (" + e.kind() + " to " + e.recipient() + ")",
                e.resellerId(), e.contextId());
        return repository.find(id);
    }

    private boolean visible(Long treeRoot, OutboxEntry e) {
        return treeRoot == null || (e.resellerId() != null && tree.subtree(treeRoot).contains(e.resellerId()));
    }
}
