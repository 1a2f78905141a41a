package io.mailplane.announcements;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.announcements.AnnouncementDtos.UserAnnouncement;
import io.mailplane.announcements.AnnouncementRepository.ActiveRow;
import io.mailplane.common.Invalidations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What users see of announcements, cheaply: per brand lineage, the announcements that target it,
 * are enabled and have not ended (those active now and those still ahead), as users see them, are
 * cached; a user's request then reads only the database's clock and the user's dismissals (one
 * small query) and filters the cached list by that clock, so "now" is still the one clock every
 * replica shares. Any change of an announcement ({@link AnnouncementService}) invalidates {@link #KEY}:
 * this replica drops every list when the change commits, the others at their next
 * {@link Invalidations} poll; a load that overlapped an eviction is not kept. A lineage with more
 * than {@link #MAX_CACHED} such announcements is not cached: the database filters it instead.
 */
@ApplicationScoped
public class ActiveAnnouncements {
    /** The invalidation key of every cached list. */
    static final String KEY = "announcements:";
    static final int MAX_CACHED = 5_000;

    /** An announcement as a user sees it, with its window. */
    private record Entry(Instant start, Instant end, UserAnnouncement view) {
    }

    private final AnnouncementRepository repository;
    private final Cache<List<Long>, List<Entry>> byLineage = Caffeine.newBuilder()
            .maximumWeight(1_000_000)
            .<List<Long>, List<Entry>>weigher((lineage, entries) -> 1 + entries.size())
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();
    /** Bumped by every eviction; a load that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public ActiveAnnouncements(AnnouncementRepository repository) {
        this.repository = repository;
    }

    /**
     * The announcements active now for a user ({@code userPk}) of a brand with this lineage, not
     * dismissed by the user: earliest start first, at most {@code limit}.
     */
    List<UserAnnouncement> activeFor(List<Long> lineage, long userPk, int limit) {
        List<Entry> entries = entries(lineage);
        if (entries == null) {
            return repository.activeFor(lineage, userPk, limit).stream().map(ActiveAnnouncements::view).toList();
        }
        AnnouncementRepository.UserNow user = repository.nowAndDismissed(userPk);
        Instant now = user.now();
        Set<Long> dismissed = user.dismissed();
        List<UserAnnouncement> active = new ArrayList<>();
        for (Entry e : entries) {
            if (active.size() >= limit) {
                break;
            }
            if (!e.start().isAfter(now) && e.end().isAfter(now) && !dismissed.contains(e.view().id())) {
                active.add(e.view());
            }
        }
        return active;
    }

    /** The cached list of the lineage, loaded when missing; null when it is too long to cache. */
    private List<Entry> entries(List<Long> lineage) {
        List<Entry> cached = byLineage.getIfPresent(lineage);
        if (cached != null) {
            return cached;
        }
        long started = generation.get();
        List<ActiveRow> rows = repository.notEndedFor(lineage, MAX_CACHED + 1);
        if (rows.size() > MAX_CACHED) {
            return null;
        }
        List<Entry> entries = rows.stream().map(r -> new Entry(r.start(), r.end(), view(r))).toList();
        if (generation.get() == started) {
            byLineage.put(lineage, entries);
            if (generation.get() != started) {
                // an eviction ran between the check and the put: what was read may be stale
                byLineage.asMap().remove(lineage, entries);
            }
        }
        return entries;
    }

    static UserAnnouncement view(ActiveRow r) {
        return new UserAnnouncement(r.id(), r.name(), r.msgJson(), Windows.format(r.start(), r.timezone()),
                Windows.format(r.end(), r.timezone()), r.timezone(), r.discardable());
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        if (change.keyPrefix().startsWith(KEY)) {
            generation.incrementAndGet();
            byLineage.invalidateAll();
        }
    }
}
