package io.mailplane.tenancy;

import io.mailplane.directory.ResellerTree;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts what a context or a reseller tree uses, for enforcing restrictions. The counts are
 * {@link TenancyRepository}'s (one query style, native SQL); here a reseller becomes its tree.
 */
@ApplicationScoped
public class Usage {
    private final TenancyRepository repository;
    private final ResellerTree tree;

    public Usage(TenancyRepository repository, ResellerTree tree) {
        this.repository = repository;
        this.tree = tree;
    }

    public long contextsUnder(long resellerId) {
        return repository.contextsOf(tree.subtree(resellerId));
    }

    public long usersIn(long contextId) {
        return repository.usersIn(contextId);
    }

    public long quotaIn(long contextId) {
        return repository.quotaIn(contextId);
    }

    public long usersUnder(long resellerId) {
        return repository.usersOf(tree.subtree(resellerId));
    }

    public long quotaUnder(long resellerId) {
        return repository.quotaOf(tree.subtree(resellerId));
    }
}
