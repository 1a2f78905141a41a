package io.mailplane.audit;

import io.mailplane.common.Paging;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The SQL of the audit log (table {@code audit_log}). Panache on {@link AuditEntry}: entries are
 * whole rows written once and read back page by page, which is what the entity API does without
 * help. Writes join the changing transaction (an entry commits or rolls back with its change).
 */
@ApplicationScoped
public class AuditRepository {
    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(AuditEntry entry) {
        entry.persist();
    }

    /** Newest first; every entry for {@code resellerIds == null}, else those of these resellers. */
    public List<AuditEntry> newestFirst(List<Long> resellerIds, Paging paging) {
        Sort newestFirst = Sort.descending("id");
        var query = resellerIds == null
                ? AuditEntry.<AuditEntry>findAll(newestFirst)
                : AuditEntry.<AuditEntry>find("resellerId in ?1", newestFirst, resellerIds);
        return query.range(paging.offset(), paging.last()).list();
    }
}
