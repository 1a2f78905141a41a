package io.mailplane.notify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import io.mailplane.notify.NotificationRepository.TemplateRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every brand's own notification templates and default locale, cached per brand: sending a mail
 * resolves its template without a query once the brands of the user's lineage are known. A change
 * of a brand's templates or default locale ({@link TemplateService}) invalidates {@link #key} of the
 * brand: this replica drops the brand when the change commits, every other one at its next
 * {@link Invalidations} poll; a load that overlapped an eviction is not kept. Missing brands are
 * read together, in one query.
 */
@ApplicationScoped
public class BrandTemplates {
    /** A brand's own settings: its default locale (null: none) and its templates by {@code kind/locale}. */
    record Brand(String defaultLocale, Map<String, TemplateRow> templates) {
        TemplateRow template(String kind, String locale) {
            return templates.get(kind + "/" + locale);
        }
    }

    private static final String PREFIX = "notify:templates:";

    private final NotificationRepository repository;
    /** Weighed by the characters the brand's templates hold: a brand may store many locales. */
    private final Cache<Long, Brand> brands = Caffeine.newBuilder()
            .maximumWeight(64L * 1024 * 1024)
            .<Long, Brand>weigher((id, b) -> 64 + b.templates().values().stream()
                    .mapToInt(t -> t.subject().length() + t.text().length() + (t.html() == null ? 0 : t.html().length())).sum())
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    /** Bumped by every eviction; a load that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public BrandTemplates(NotificationRepository repository) {
        this.repository = repository;
    }

    /** The invalidation key of a brand's templates and default locale. */
    static String key(long brand) {
        return PREFIX + brand + ":";
    }

    /** The settings of each brand, in the order given. */
    List<Brand> of(List<Long> lineage) {
        List<Long> missing = new ArrayList<>(0);
        for (Long id : lineage) {
            if (brands.getIfPresent(id) == null) {
                missing.add(id);
            }
        }
        Map<Long, Brand> loaded = missing.isEmpty() ? Map.of() : load(missing);
        List<Brand> found = new ArrayList<>(lineage.size());
        for (Long id : lineage) {
            Brand b = loaded.get(id);
            if (b == null) {
                b = brands.getIfPresent(id);
            }
            if (b == null) {
                // evicted in between: read it again, not kept
                b = repository.brandSettings(List.of(id)).getOrDefault(id, new Brand(null, Map.of()));
            }
            found.add(b);
        }
        return found;
    }

    private Map<Long, Brand> load(List<Long> ids) {
        long started = generation.get();
        Map<Long, Brand> read = new HashMap<>(repository.brandSettings(ids));
        for (Long id : ids) {
            read.putIfAbsent(id, new Brand(null, Map.of()));
        }
        if (generation.get() == started) {
            brands.putAll(read);
            if (generation.get() != started) {
                // an eviction ran between the check and the puts: what was read may be stale
                read.forEach((id, b) -> brands.asMap().remove(id, b));
            }
        }
        return read;
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        String prefix = change.keyPrefix();
        if (prefix.startsWith(PREFIX)) {
            generation.incrementAndGet();
            String id = prefix.substring(PREFIX.length()).replace(":", "");
            if (id.matches("[0-9]{1,18}")) {
                brands.invalidate(Long.parseLong(id));
            } else {
                brands.invalidateAll();
            }
        }
    }
}
