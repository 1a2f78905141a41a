package io.mailplane.announcements;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailplane.announcements.AnnouncementDtos.AnnouncementView;
import io.mailplane.announcements.AnnouncementDtos.CreateAnnouncement;
import io.mailplane.announcements.AnnouncementDtos.UpdateAnnouncement;
import io.mailplane.announcements.AnnouncementDtos.UserAnnouncement;
import io.mailplane.audit.AuditLog;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.ExpectedVersion;
import io.mailplane.common.Invalidations;
import io.mailplane.common.Paging;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.ResellerTree;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of announcements. A reseller works on the announcements its brand tree owns and targets
 * brands of the owner's tree only; anything else is "not found" (404), as for every other tenant's
 * resource. Users see the enabled announcements whose window holds the current instant and that
 * target their brand or one of its ancestors.
 */
@ApplicationScoped
@Transactional
public class AnnouncementService {
    private final AnnouncementRepository repository;
    private final ResellerTree tree;
    private final RowLocks locks;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final ActiveAnnouncements active;
    private final Invalidations invalidations;

    public AnnouncementService(AnnouncementRepository repository, ResellerTree tree, RowLocks locks, AuditLog audit, ObjectMapper json,
                               ActiveAnnouncements active, Invalidations invalidations) {
        this.repository = repository;
        this.active = active;
        this.invalidations = invalidations;
        this.tree = tree;
        this.locks = locks;
        this.audit = audit;
        this.json = json;
    }

    /** The brands an announcement of the caller may involve: the tree under {@code root}, or all ({@code null}) for the master admin. */
    private Set<Long> reachable(Long root) {
        return root == null ? null : new HashSet<>(tree.subtree(root));
    }

    public AnnouncementView create(Long root, CreateAnnouncement in) {
        Set<Long> reachable = reachable(root);
        ZoneId zone = Windows.zone(in.timezone());
        Announcement a = new Announcement();
        a.name = in.name();
        a.msgJson = message(in.msgJsonObject());
        a.timezone = zone.getId();
        a.startAt = Windows.instant("startDatetime", in.startDatetime(), zone);
        a.endAt = Windows.instant("endDatetime", in.endDatetime(), zone);
        Windows.requireOrdered(a.startAt, a.endAt, false);
        a.discardable = in.discardable() != null && in.discardable();
        a.enabled = in.enabled() == null || in.enabled();
        a.ownerId = owner(root, reachable, in.ownerBrand());
        List<Long> targets = targets(a.ownerId, in.brands());
        repository.save(a);
        repository.replaceTargets(a, targets);
        invalidations.changed(ActiveAnnouncements.KEY);
        audit.record("announcement.create", describe(a), a.ownerId, null);
        return view(a);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Announcement> visible(Long root, long id) {
        Set<Long> reachable = reachable(root);
        return repository.byId(id).filter(a -> reachable == null || reachable.contains(a.ownerId));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AnnouncementView> list(Long root, Paging paging) {
        Set<Long> reachable = reachable(root);
        return views(repository.ownedBy(reachable, paging.offset(), paging.limit()));
    }

    /**
     * Changes what the body holds. Writers of one announcement are serialised on its row; the
     * expected version (If-Match) and a {@code version} in the body must both be the current one (412).
     */
    public Optional<AnnouncementView> update(Long root, long id, UpdateAnnouncement in, ExpectedVersion expected) {
        if (in.id() != null && in.id() != id) {
            throw ApiException.invalid("id", "must be the id of the path, " + id);
        }
        return locked(root, id).map(a -> {
            expected.check(a.version);
            if (in.version() != null) {
                ExpectedVersion.of(in.version()).check(a.version);
            }
            Set<Long> reachable = reachable(root);
            ZoneId zone = in.timezone() == null ? ZoneId.of(a.timezone) : Windows.zone(in.timezone());
            if (in.name() != null) {
                a.name = in.name();
            }
            if (in.msgJsonObject() != null) {
                a.msgJson = message(in.msgJsonObject());
            }
            // The wall-clock times not given stay what they were, now read in the (possibly new) zone.
            String start = in.startDatetime() != null ? in.startDatetime() : Windows.local(a.startAt, a.timezone).toString();
            String end = in.endDatetime() != null ? in.endDatetime() : Windows.local(a.endAt, a.timezone).toString();
            a.startAt = Windows.instant("startDatetime", start, zone);
            a.endAt = Windows.instant("endDatetime", end, zone);
            a.timezone = zone.getId();
            Windows.requireOrdered(a.startAt, a.endAt, in.startDatetime() != null && in.endDatetime() == null);
            if (in.discardable() != null) {
                a.discardable = in.discardable();
            }
            if (in.enabled() != null) {
                a.enabled = in.enabled();
            }
            List<String> brands = in.brands();
            if (in.ownerBrand() != null) {
                a.ownerId = owner(root, reachable, in.ownerBrand());
            }
            List<Long> targets = brands != null || in.ownerBrand() != null
                    ? targets(a.ownerId, brands != null ? brands : currentBrands(a)) : null;
            repository.save(a);
            repository.replaceTargets(a, targets != null ? targets : repository.targetIds(a.id));
            invalidations.changed(ActiveAnnouncements.KEY);
            audit.record("announcement.update", describe(a), a.ownerId, null);
            return view(a);
        });
    }

    /** Enables or disables the announcement; the same state again changes nothing. */
    public Optional<AnnouncementView> setEnabled(Long root, long id, boolean enabled, ExpectedVersion expected) {
        return locked(root, id).map(a -> {
            expected.check(a.version);
            if (a.enabled != enabled) {
                a.enabled = enabled;
                repository.save(a);
                repository.replaceTargets(a, repository.targetIds(a.id));
                invalidations.changed(ActiveAnnouncements.KEY);
                audit.record(enabled ? "announcement.enable" : "announcement.disable", describe(a), a.ownerId, null);
            }
            return view(a);
        });
    }

    /** Deletes the announcement with its targets and dismissals; false when the scope has no such announcement. */
    public boolean delete(Long root, long id, ExpectedVersion expected) {
        return locked(root, id).map(a -> {
            expected.check(a.version);
            repository.delete(a);
            invalidations.changed(ActiveAnnouncements.KEY);
            audit.record("announcement.delete", describe(a), a.ownerId, null);
            return true;
        }).orElse(false);
    }

    // ---- users ----

    /** The announcements active now for the user ({@code userPk}) of a context of {@code brand}, not dismissed by them. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserAnnouncement> activeFor(long brand, long userPk) {
        return active.activeFor(lineage(brand), userPk, Paging.MAX_LIMIT);
    }

    /**
     * Hides the announcement from this user from now on. 404 unless the user sees it now (or did
     * until dismissing it: dismissing twice is no error); 409 when it is not discardable.
     */
    public void dismiss(long brand, long userPk, long id) {
        ApiException notFound = notFound(id);
        if (!locks.announcement(id)) {
            throw notFound;
        }
        AnnouncementRepository.ActiveRow row = repository.activeById(lineage(brand), id).orElseThrow(() -> notFound);
        if (!row.discardable()) {
            throw new ApiException(ErrorCode.ANNOUNCEMENT_NOT_DISCARDABLE, "Announcement " + id + " cannot be dismissed.");
        }
        repository.dismiss(userPk, id);
    }

    public static ApiException notFound(Object id) {
        return new ApiException(ErrorCode.ANNOUNCEMENT_NOT_FOUND, "Announcement " + id + " does not exist.");
    }

    // ---- helpers ----

    private List<Long> lineage(long brand) {
        return tree.lineageIds(brand);
    }

    /** The announcement, its row locked until the transaction ends, if the scope reaches it. */
    private Optional<Announcement> locked(Long root, long id) {
        if (!locks.announcement(id)) {
            return Optional.empty();
        }
        return visible(root, id);
    }

    /** The owning brand: the named one, in the caller's tree; else the caller's own (the master admin must name one). */
    private Long owner(Long root, Set<Long> reachable, String ownerBrand) {
        if (ownerBrand == null) {
            if (root == null) {
                throw ApiException.invalid("ownerBrand", "must name the owning brand (the master admin has none)");
            }
            return root;
        }
        Long id = repository.brandIds(List.of(ownerBrand)).get(ownerBrand);
        if (id == null || (reachable != null && !reachable.contains(id))) {
            throw brandNotFound(ownerBrand);
        }
        return id;
    }

    /** The brands to target: all in the owner's tree (404 for any other), the owner alone when none are named. */
    private List<Long> targets(long owner, List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of(owner);
        }
        Set<String> wanted = new LinkedHashSet<>(names);
        Map<String, Long> found = repository.brandIds(wanted);
        Set<Long> ownersTree = new HashSet<>(tree.subtree(owner));
        List<Long> ids = new ArrayList<>();
        for (String name : wanted) {
            Long id = found.get(name);
            if (id == null || !ownersTree.contains(id)) {
                throw brandNotFound(name);
            }
            ids.add(id);
        }
        return ids;
    }

    private List<String> currentBrands(Announcement a) {
        return repository.targetBrands(List.of(a.id)).getOrDefault(a.id, List.of());
    }

    private static ApiException brandNotFound(String brand) {
        return new ApiException(ErrorCode.RESELLER_NOT_FOUND, "Brand " + brand + " does not exist.");
    }

    /** The message as compact JSON; 400 for null or over {@link AnnouncementDtos#MAX_MESSAGE_BYTES}. */
    private String message(JsonNode message) {
        if (message == null || message.isNull() || message.isMissingNode()) {
            throw ApiException.invalid("msgJsonObject", "must be a JSON value other than null");
        }
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("msgJsonObject", "must be a JSON value");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > AnnouncementDtos.MAX_MESSAGE_BYTES) {
            throw ApiException.invalid("msgJsonObject", "must be at most " + AnnouncementDtos.MAX_MESSAGE_BYTES + " bytes as compact JSON");
        }
        return text;
    }

    /** What resellers see of the announcement. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public AnnouncementView view(Announcement a) {
        return views(List.of(a)).get(0);
    }

    private List<AnnouncementView> views(List<Announcement> list) {
        Map<Long, List<String>> brands = repository.targetBrands(list.stream().map(a -> a.id).toList());
        Map<Long, String> owners = repository.brandNames(list.stream().map(a -> a.ownerId).distinct().toList());
        return list.stream().map(a -> new AnnouncementView(a.id, a.version, a.name, a.msgJson,
                Windows.format(a.startAt, a.timezone), Windows.format(a.endAt, a.timezone), a.timezone, a.discardable, a.enabled,
                owners.get(a.ownerId), brands.getOrDefault(a.id, List.of()))).toList();
    }

    private static String describe(Announcement a) {
        return "announcement " + a.id + " (" + a.name + ")";
    }
}
