package io.mailplane.audit;

import io.mailplane.common.Paging;
import io.mailplane.security.Caller;
import io.mailplane.directory.ResellerTree;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Writes admin changes to the audit log (inside the changing transaction) and reads them back per
 * tree. Its SQL is in {@link AuditRepository}.
 */
@ApplicationScoped
public class AuditLog {
    private final Caller caller;
    private final ResellerTree tree;
    private final AuditRepository repository;

    public AuditLog(Caller caller, ResellerTree tree, AuditRepository repository) {
        this.caller = caller;
        this.tree = tree;
        this.repository = repository;
    }

    /**
     * @param resellerId the reseller that owns the target (scopes who may read the entry)
     * @param contextId  the context of the target, if any
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, Long resellerId, Long contextId) {
        AuditEntry entry = new AuditEntry();
        entry.at = Instant.now();
        entry.actor = caller.actor();
        entry.realm = caller.isPresent() ? caller.realm().name() : "ANONYMOUS";
        entry.action = action;
        entry.target = target.length() > 300 ? target.substring(0, 300) : target;
        entry.resellerId = resellerId;
        entry.contextId = contextId;
        entry.requestId = caller.requestId();
        repository.insert(entry);
    }

    /** Newest first; all entries for {@code resellerId == null} (master), else that reseller's tree. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> list(Long resellerId, Paging paging) {
        return repository.newestFirst(resellerId == null ? null : tree.subtree(resellerId), paging);
    }
}
