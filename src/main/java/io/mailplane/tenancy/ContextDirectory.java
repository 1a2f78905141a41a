package io.mailplane.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import io.mailplane.security.CredentialKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
        static Snapshot of(TenantContext c) {
            return new Snapshot(c.id, c.name, c.resellerId, c.adminLogin, c.adminPasswordHash, c.maxUsers, c.maxQuotaMb, c.version);
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

    private final Cache<String, Snapshot> byRef;
    /** Bumped by every eviction; a lookup that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public ContextDirectory(@ConfigProperty(name = "mailplane.contexts.cache-ttl") Duration ttl) {
        this.byRef = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    /** The context with this id or name. */
    public Optional<TenantContext> byIdOrName(String ref) {
        Snapshot cached = byRef.getIfPresent(ref);
        if (cached != null) {
            return Optional.of(cached.copy());
        }
        long started = generation.get();
        Optional<TenantContext> found = TenantContext.byIdOrName(ref);
        if (found.isPresent() && generation.get() == started) {
            Snapshot snapshot = Snapshot.of(found.get());
            byRef.put(ref, snapshot);
            if (generation.get() != started) {
                // an eviction ran between the check and the put: what was read may be stale
                byRef.asMap().remove(ref, snapshot);
            }
        }
        return found.map(c -> Snapshot.of(c).copy());
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        String prefix = change.keyPrefix();
        if (prefix.startsWith("context:")) {
            generation.incrementAndGet();
            byRef.asMap().values().removeIf(s -> prefix.startsWith(CredentialKeys.context(s.id())));
        }
    }
}
