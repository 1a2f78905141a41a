package io.mailplane.audit;

import io.mailplane.common.Paging;
import io.mailplane.security.Caller;
import io.mailplane.directory.ResellerTree;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** Writes admin changes to the audit log (inside the changing transaction) and reads them back per tree. */
@ApplicationScoped
public class AuditLog {
    private final Caller caller;
    private final ResellerTree tree;

    public AuditLog(Caller caller, ResellerTree tree) {
        this.caller = caller;
        this.tree = tree;
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
        entry.persist();
    }

    /** Newest first; all entries for {@code resellerId == null} (master), else that reseller's tree. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> list(Long resellerId, Paging paging) {
        Sort newestFirst = Sort.descending("id");
        var query = resellerId == null
                ? AuditEntry.<AuditEntry>findAll(newestFirst)
                : AuditEntry.<AuditEntry>find("resellerId in ?1", newestFirst, tree.subtree(resellerId));
        return query.range(paging.offset(), paging.last()).list();
    }
}
