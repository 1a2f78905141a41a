package io.mailplane.directory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Walks the reseller hierarchy (its SQL is in {@link DirectoryRepository}). */
@ApplicationScoped
public class ResellerTree {
    private final DirectoryRepository repository;

    public ResellerTree(DirectoryRepository repository) {
        this.repository = repository;
    }

    /** The reseller and all its descendants. */
    public List<Long> subtree(long resellerId) {
        return repository.resellerSubtree(resellerId);
    }

    /** The reseller and its ancestors, nearest first. */
    public List<Reseller> lineage(long resellerId) {
        List<Reseller> lineage = new ArrayList<>();
        Long current = resellerId;
        while (current != null && lineage.size() < 64) {
            Reseller r = repository.reseller(current).orElse(null);
            if (r == null) {
                break;
            }
            lineage.add(r);
            current = r.parentId;
        }
        return lineage;
    }
}
