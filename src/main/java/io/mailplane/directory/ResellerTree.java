package io.mailplane.directory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;

/** Walks the reseller hierarchy. */
@ApplicationScoped
public class ResellerTree {
    private final EntityManager em;

    public ResellerTree(EntityManager em) {
        this.em = em;
    }

    /** The reseller and all its descendants. */
    public List<Long> subtree(long resellerId) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("WITH RECURSIVE tree (id) AS ("
                        + " SELECT id FROM resellers WHERE id = ?1"
                        + " UNION ALL SELECT r.id FROM resellers r JOIN tree t ON r.parent_id = t.id)"
                        + " SELECT id FROM tree")
                .setParameter(1, resellerId)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /** The reseller and its ancestors, nearest first. */
    public List<Reseller> lineage(long resellerId) {
        List<Reseller> lineage = new ArrayList<>();
        Long current = resellerId;
        while (current != null && lineage.size() < 64) {
            Reseller r = Reseller.findById(current);
            if (r == null) {
                break;
            }
            lineage.add(r);
            current = r.parentId;
        }
        return lineage;
    }
}
