package io.mailplane.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Walks the reseller hierarchy (its SQL is in {@link DirectoryRepository}).
 *
 * <p>{@link #brands} and {@link #lineageIds} answer from a cache: a reseller's id, parent and brand
 * never change once it exists, so a brand's lineage can be kept for good; what can change is its
 * display name (then {@link CredentialKeys#brand} is invalidated) and its existence (a deletion
 * invalidates {@link CredentialKeys#reseller}). Either evicts the reseller on this replica when the
 * change commits and on every other one by {@link Invalidations}' poll; a lookup that overlapped an
 * eviction is not kept. A miss reads the whole lineage in one query. {@link #lineage} reads the
 * entities (limits and all) afresh, for writers that check restrictions.
 */
@ApplicationScoped
public class ResellerTree {
    /** Deeper trees are cut here (a guard against a cycle in the data, which the API cannot make). */
    static final int MAX_DEPTH = 64;

    /** What a lineage walk needs of a reseller: its id, parent and brand (fixed) and display name (evicted when changed). */
    public record Brand(long id, Long parentId, String brand, String displayName) {
    }

    private final DirectoryRepository repository;
    private final Cache<Long, Brand> brands = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    /** Bumped by every eviction; a lookup that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public ResellerTree(DirectoryRepository repository) {
        this.repository = repository;
    }

    /** The reseller and all its descendants. */
    public List<Long> subtree(long resellerId) {
        return repository.resellerSubtree(resellerId);
    }

    /** The reseller and its ancestors, nearest first, as entities read now (for writers checking restrictions). */
    public List<Reseller> lineage(long resellerId) {
        List<Reseller> lineage = new ArrayList<>();
        Long current = resellerId;
        while (current != null && lineage.size() < MAX_DEPTH) {
            Reseller r = repository.reseller(current).orElse(null);
            if (r == null) {
                break;
            }
            lineage.add(r);
            current = r.parentId;
        }
        return lineage;
    }

    /** The reseller and its ancestors, nearest first (cached); empty when the reseller does not exist. */
    public List<Brand> brands(long resellerId) {
        List<Brand> lineage = cached(resellerId);
        if (lineage != null) {
            return lineage;
        }
        long started = generation.get();
        List<Brand> read = repository.brandLineage(resellerId, MAX_DEPTH);
        if (generation.get() == started) {
            read.forEach(b -> brands.put(b.id(), b));
            if (generation.get() != started) {
                // an eviction ran between the check and the puts: what was read may be stale
                read.forEach(b -> brands.asMap().remove(b.id(), b));
            }
        }
        return read;
    }

    /** The ids of {@link #brands}: the reseller and its ancestors, nearest first. */
    public List<Long> lineageIds(long resellerId) {
        return brands(resellerId).stream().map(Brand::id).toList();
    }

    /** The whole lineage from the cache, or null when a link is missing. */
    private List<Brand> cached(long resellerId) {
        List<Brand> lineage = new ArrayList<>(4);
        Long current = resellerId;
        while (current != null && lineage.size() < MAX_DEPTH) {
            Brand b = brands.getIfPresent(current);
            if (b == null) {
                return null;
            }
            lineage.add(b);
            current = b.parentId();
        }
        return List.copyOf(lineage);
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        String prefix = change.keyPrefix();
        if (prefix.startsWith("reseller:") || prefix.startsWith("brand:")) {
            generation.incrementAndGet();
            Long id = CredentialKeys.resellerOf(prefix);
            if (id == null) {
                brands.invalidateAll();
            } else {
                brands.invalidate(id);
            }
        }
    }
}
