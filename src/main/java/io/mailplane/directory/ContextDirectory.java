package io.mailplane.directory;

import io.mailplane.common.MailplaneConfig;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Ids;
import io.mailplane.common.Invalidations;
import io.mailplane.directory.CredentialKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves the {@code {contextid}} of a path (id or name) to its context. Every admin request
 * names one, so lookups are cached briefly; any change of a context (update, rename, deletion)
 * evicts it on this replica as soon as the change commits and, through {@link Invalidations},
 * on every other one. A lookup that overlapped an eviction is not kept.
 * Callers get a detached copy of their own.
 */
@ApplicationScoped
public class ContextDirectory {
    private record Snapshot(long id, String name, long resellerId, String adminLogin, String adminPasswordHash,
                            Integer maxUsers, Long maxQuotaMb, int version) {
        static Snapshot of(Object[] row) {
            return new Snapshot(((Number) row[0]).longValue(), (String) row[1], ((Number) row[2]).longValue(), (String) row[3],
                    (String) row[4], (Integer) row[5], (Long) row[6], ((Number) row[7]).intValue());
        }

        TenantContext copy() {
            TenantContext c = new TenantContext();
            c.id = id;
            c.name = name;
            c.resellerId = resellerId;
            c.adminLogin = adminLogin;
            c.adminPasswordHash = adminPasswordHash;
            c.maxUsers = maxUsers;
            c.maxQuotaMb = maxQuotaMb;
            c.version = version;
            return c;
        }
    }

    private static final String SELECT = "SELECT c.id, c.name, c.resellerId, c.adminLogin, c.adminPasswordHash, c.maxUsers,"
            + " c.maxQuotaMb, c.version FROM TenantContext c WHERE ";

    private final EntityManager em;
    private final Cache<String, Snapshot> byRef;
    /** Bumped by every eviction; a lookup that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public ContextDirectory(EntityManager em, MailplaneConfig config) {
        this.em = em;
        this.byRef = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.contexts().cacheTtl()).build();
    }

    /** The context with this id or name. */
    public Optional<TenantContext> byIdOrName(String ref) {
        Snapshot cached = byRef.getIfPresent(ref);
        if (cached != null) {
            return Optional.of(cached.copy());
        }
        long started = generation.get();
        Optional<Snapshot> found = read(ref);
        if (found.isPresent() && generation.get() == started) {
            byRef.put(ref, found.get());
            if (generation.get() != started) {
                // an eviction ran between the check and the put: what was read may be stale
                byRef.asMap().remove(ref, found.get());
            }
        }
        return found.map(Snapshot::copy);
    }

    /**
     * The context's row as the database holds it now. Columns, not an entity: the request's
     * session may hold the context as it was read earlier in the request (say while checking
     * the caller's password, before a concurrent change committed), and would answer that.
     */
    private Optional<Snapshot> read(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        List<Object[]> rows = Ids.isNumeric(ref)
                ? em.createQuery(SELECT + "c.id = ?1", Object[].class).setParameter(1, Long.parseLong(ref)).getResultList()
                : em.createQuery(SELECT + "c.name = ?1", Object[].class).setParameter(1, ref).getResultList();
        return rows.stream().findFirst().map(Snapshot::of);
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        String prefix = change.keyPrefix();
        if (prefix.startsWith("context:")) {
            generation.incrementAndGet();
            byRef.asMap().values().removeIf(s -> prefix.startsWith(CredentialKeys.context(s.id())));
        }
    }
}
