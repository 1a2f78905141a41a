package io.mailplane.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.DirectoryRepository.ContextRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves the {@code {contextid}} of a path (id or name) to its context. Every admin request
 * names one, so lookups are cached briefly; any change of a context (update, rename, deletion)
 * evicts it on this replica as soon as the change commits and, through {@link Invalidations},
 * on every other one. A lookup that overlapped an eviction is not kept.
 * Callers get a detached copy of their own. The read is {@link DirectoryRepository#contextRow}.
 */
@ApplicationScoped
public class ContextDirectory {
    private final DirectoryRepository repository;
    private final Cache<String, ContextRow> byRef;
    /** Bumped by every eviction; a lookup that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public ContextDirectory(DirectoryRepository repository, MailplaneConfig config) {
        this.repository = repository;
        this.byRef = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.contexts().cacheTtl()).build();
    }

    /** The context with this id or name. */
    public Optional<TenantContext> byIdOrName(String ref) {
        ContextRow cached = byRef.getIfPresent(ref);
        if (cached != null) {
            return Optional.of(copy(cached));
        }
        long started = generation.get();
        Optional<ContextRow> found = repository.contextRow(ref);
        if (found.isPresent() && generation.get() == started) {
            byRef.put(ref, found.get());
            if (generation.get() != started) {
                // an eviction ran between the check and the put: what was read may be stale
                byRef.asMap().remove(ref, found.get());
            }
        }
        return found.map(ContextDirectory::copy);
    }

    /** A detached entity of the caller's own (the database's row, not the request's session copy). */
    private static TenantContext copy(ContextRow row) {
        TenantContext c = new TenantContext();
        c.id = row.id();
        c.name = row.name();
        c.resellerId = row.resellerId();
        c.adminLogin = row.adminLogin();
        c.adminPasswordHash = row.adminPasswordHash();
        c.maxUsers = row.maxUsers();
        c.maxQuotaMb = row.maxQuotaMb();
        c.version = row.version();
        return c;
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        String prefix = change.keyPrefix();
        if (prefix.startsWith("context:")) {
            generation.incrementAndGet();
            byRef.asMap().values().removeIf(s -> prefix.startsWith(CredentialKeys.context(s.id())));
        }
    }
}
