package io.mailplane.announcements;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SQL of announcements (tables {@code announcements}, {@code announcement_targets},
 * {@code announcement_dismissals}). Panache on {@link Announcement}: an announcement is read, changed
 * and written back as an entity, so its {@code @Version} moves with every change. Native SQL for the
 * rest: the targets carry copies of the entity's window and flag (rewritten with it) so that the
 * users' "active now" query is one index range per brand, compared with the database's clock
 * ({@code UTC_TIMESTAMP()}, one clock for every replica); dismissals use {@code INSERT IGNORE}
 * (dismissing twice is no error); brand names are looked up in {@code resellers} by name.
 * Writes need the service's transaction; reads join it or run without one.
 */
@ApplicationScoped
public class AnnouncementRepository {
    private final EntityManager em;

    public AnnouncementRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Announcement> byId(long id) {
        return Announcement.findByIdOptional(id);
    }

    /** Announcements owned by these brands ({@code owners} null: all), by id. */
    public List<Announcement> ownedBy(Collection<Long> owners, int offset, int limit) {
        var query = owners == null ? Announcement.<Announcement>findAll(Sort.ascending("id"))
                : Announcement.<Announcement>find("ownerId in ?1", Sort.ascending("id"), owners);
        return query.range(offset, offset + limit - 1).list();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(Announcement a) {
        a.persistAndFlush();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(Announcement a) {
        a.delete();
        em.flush();
    }

    /** Sets the brands the announcement targets, with the copies of its (flushed) window and flag. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void replaceTargets(Announcement a, Collection<Long> brandIds) {
        em.createNativeQuery("DELETE FROM announcement_targets WHERE announcement_id = ?1").setParameter(1, a.id).executeUpdate();
        UtcColumn utc = new UtcColumn();
        for (Long brand : brandIds) {
            em.createNativeQuery("INSERT INTO announcement_targets (announcement_id, reseller_id, enabled, start_at, end_at)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, a.id).setParameter(2, brand).setParameter(3, a.enabled)
                    .setParameter(4, utc.convertToDatabaseColumn(a.startAt)).setParameter(5, utc.convertToDatabaseColumn(a.endAt))
                    .executeUpdate();
        }
    }

    /** The brands (reseller ids) the announcement targets. */
    public List<Long> targetIds(long announcementId) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT reseller_id FROM announcement_targets WHERE announcement_id = ?1")
                .setParameter(1, announcementId).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /** The brand names each announcement targets, by announcement id (names sorted). */
    public Map<Long, List<String>> targetBrands(Collection<Long> announcementIds) {
        Map<Long, List<String>> brands = new LinkedHashMap<>();
        if (announcementIds.isEmpty()) {
            return brands;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT t.announcement_id, r.brand FROM announcement_targets t"
                        + " JOIN resellers r ON r.id = t.reseller_id WHERE t.announcement_id IN (?1) ORDER BY t.announcement_id, r.brand")
                .setParameter(1, announcementIds).getResultList();
        for (Object[] row : rows) {
            brands.computeIfAbsent(((Number) row[0]).longValue(), k -> new java.util.ArrayList<>()).add((String) row[1]);
        }
        return brands;
    }

    /** Brand name → reseller id, for the names that exist. */
    public Map<String, Long> brandIds(Collection<String> names) {
        Map<String, Long> ids = new TreeMap<>();
        if (names.isEmpty()) {
            return ids;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT brand, id FROM resellers WHERE brand IN (?1)")
                .setParameter(1, names).getResultList();
        rows.forEach(r -> ids.put((String) r[0], ((Number) r[1]).longValue()));
        return ids;
    }

    /** Reseller id → brand name, for the ids that exist. */
    public Map<Long, String> brandNames(Collection<Long> resellerIds) {
        Map<Long, String> names = new TreeMap<>();
        if (resellerIds.isEmpty()) {
            return names;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, brand FROM resellers WHERE id IN (?1)")
                .setParameter(1, resellerIds).getResultList();
        rows.forEach(r -> names.put(((Number) r[0]).longValue(), (String) r[1]));
        return names;
    }

    /** An announcement as a user sees it. */
    public record ActiveRow(long id, String name, String msgJson, Instant start, Instant end, String timezone, boolean discardable) {
    }

    /**
     * Driven from the targets' index (one range per brand of the lineage: enabled, not yet ended, then
     * started), the few hits then joined to their announcements by primary key (STRAIGHT_JOIN keeps that
     * order; MySQL 8 and MariaDB both know it: on small tables the optimizer would rather scan announcements).
     */
    private static final String ACTIVE = "SELECT STRAIGHT_JOIN a.id, a.name, a.msg_json, DATE_FORMAT(a.start_at, '%Y-%m-%d %H:%i:%s'),"
            + " DATE_FORMAT(a.end_at, '%Y-%m-%d %H:%i:%s'), a.timezone, a.discardable"
            + " FROM (SELECT DISTINCT t.announcement_id AS id FROM announcement_targets t WHERE t.reseller_id IN (?1)"
            + " AND t.enabled = TRUE AND t.end_at > UTC_TIMESTAMP() AND t.start_at <= UTC_TIMESTAMP()) hit"
            + " JOIN announcements a ON a.id = hit.id";

    /**
     * The announcements active now for a user of a brand whose lineage (the brand and its ancestors)
     * is {@code brands}, that the user ({@code userPk}) has not dismissed: earliest start first, at most {@code limit}.
     */
    public List<ActiveRow> activeFor(Collection<Long> brands, long userPk, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(ACTIVE + " WHERE NOT EXISTS (SELECT 1 FROM announcement_dismissals d"
                        + " WHERE d.user_pk = ?2 AND d.announcement_id = a.id) ORDER BY a.start_at, a.id LIMIT ?3")
                .setParameter(1, brands).setParameter(2, userPk).setParameter(3, limit).getResultList();
        return rows.stream().map(AnnouncementRepository::activeRow).toList();
    }

    /**
     * The announcements that target a brand of {@code brands}, are enabled and have not ended by the
     * database's clock (active now or ahead), earliest start first, at most {@code limit}.
     */
    public List<ActiveRow> notEndedFor(Collection<Long> brands, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT STRAIGHT_JOIN a.id, a.name, a.msg_json,"
                        + " DATE_FORMAT(a.start_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(a.end_at, '%Y-%m-%d %H:%i:%s'), a.timezone,"
                        + " a.discardable FROM (SELECT DISTINCT t.announcement_id AS id FROM announcement_targets t"
                        + " WHERE t.reseller_id IN (?1) AND t.enabled = TRUE AND t.end_at > UTC_TIMESTAMP()) hit"
                        + " JOIN announcements a ON a.id = hit.id ORDER BY a.start_at, a.id LIMIT ?2")
                .setParameter(1, brands).setParameter(2, limit).getResultList();
        return rows.stream().map(AnnouncementRepository::activeRow).toList();
    }

    /** The database's clock now (to the second, as the windows are kept) and the announcements the user dismissed. */
    public record UserNow(Instant now, Set<Long> dismissed) {
    }

    /** One query: the clock, joined to the user's dismissals (a row with a null id when there are none). */
    public UserNow nowAndDismissed(long userPk) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT DATE_FORMAT(o.now, '%Y-%m-%d %H:%i:%s'), d.announcement_id"
                        + " FROM (SELECT UTC_TIMESTAMP() AS now) o LEFT JOIN announcement_dismissals d ON d.user_pk = ?1")
                .setParameter(1, userPk).getResultList();
        Set<Long> dismissed = new HashSet<>();
        for (Object[] r : rows) {
            if (r[1] != null) {
                dismissed.add(((Number) r[1]).longValue());
            }
        }
        return new UserNow(new UtcColumn().convertToEntityAttribute((String) rows.get(0)[0]), dismissed);
    }

    /** The announcement if it is active now for a user of a brand with this lineage (dismissed or not). */
    public Optional<ActiveRow> activeById(Collection<Long> brands, long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(ACTIVE + " WHERE a.id = ?2").setParameter(1, brands).setParameter(2, id).getResultList();
        return rows.stream().findFirst().map(AnnouncementRepository::activeRow);
    }

    /** Records that the user dismissed the announcement; nothing when it did already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void dismiss(long userPk, long announcementId) {
        em.createNativeQuery("INSERT IGNORE INTO announcement_dismissals (user_pk, announcement_id) VALUES (?1, ?2)")
                .setParameter(1, userPk).setParameter(2, announcementId).executeUpdate();
    }

    private static ActiveRow activeRow(Object[] r) {
        UtcColumn utc = new UtcColumn();
        return new ActiveRow(((Number) r[0]).longValue(), (String) r[1], (String) r[2], utc.convertToEntityAttribute((String) r[3]),
                utc.convertToEntityAttribute((String) r[4]), (String) r[5], toBoolean(r[6]));
    }

    private static boolean toBoolean(Object value) {
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }
}
