package io.mailplane.notify;

import io.mailplane.directory.MailUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of notification templates and of the users they are sent to. Templates are native SQL:
 * their writes are single atomic statements ({@code INSERT ... ON DUPLICATE KEY UPDATE}, an update
 * conditional on the version), so concurrent writers of one template need no row lock and a stale
 * {@code If-Match} changes nothing. Users are read as {@link MailUser} entities (JPQL).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class NotificationRepository {
    private final EntityManager em;

    public NotificationRepository(EntityManager em) {
        this.em = em;
    }

    /** A brand's own template. */
    public record TemplateRow(long resellerId, String kind, String locale, String subject, String text, String html,
                              int version) {
    }

    /** What a notification needs of its user. */
    public record Recipient(Integer userId, String uidname, String displayName, String primaryEmail, Long quotaMb) {
    }

    /**
     * The user of the context, as a notification needs it; empty when there is none. A projection
     * of {@link MailUser}, one query: the entity would load its aliases too, and be dirty-checked at commit.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Recipient> recipient(long contextId, int userId) {
        return em.createQuery("select new io.mailplane.notify.NotificationRepository$Recipient(u.userId, u.uidname, u.displayName,"
                        + " u.primaryEmail, u.quotaMb) from MailUser u where u.contextId = ?1 and u.userId = ?2", Recipient.class)
                .setParameter(1, contextId).setParameter(2, userId)
                .getResultList().stream().findFirst();
    }

    /** The templates of this kind that these brands have in these locales (in no particular order). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TemplateRow> templates(Collection<Long> resellerIds, String kind, Collection<String> locales) {
        if (resellerIds.isEmpty() || locales.isEmpty()) {
            return List.of();
        }
        List<?> rows = em.createNativeQuery("SELECT reseller_id, kind, locale, subject, text_body, html_body, version"
                        + " FROM notification_templates WHERE reseller_id IN (?1) AND kind = ?2 AND locale IN (?3)")
                .setParameter(1, resellerIds).setParameter(2, kind).setParameter(3, locales)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new TemplateRow(((Number) r[0]).longValue(), (String) r[1],
                (String) r[2], (String) r[3], (String) r[4], (String) r[5], ((Number) r[6]).intValue())).toList();
    }

    /** A brand's own template for this kind and locale. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TemplateRow> template(long resellerId, String kind, String locale) {
        return templates(List.of(resellerId), kind, List.of(locale)).stream().findFirst();
    }

    /** Stores the template whatever version it had (a new one gets version 0). */
    public void upsertTemplate(long resellerId, String kind, String locale, String subject, String text, String html) {
        em.createNativeQuery("INSERT INTO notification_templates (reseller_id, kind, locale, subject, text_body, html_body)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON DUPLICATE KEY UPDATE subject = VALUES(subject),"
                        + " text_body = VALUES(text_body), html_body = VALUES(html_body), version = version + 1,"
                        + " updated_at = CURRENT_TIMESTAMP(3)")
                .setParameter(1, resellerId).setParameter(2, kind).setParameter(3, locale)
                .setParameter(4, subject).setParameter(5, text).setParameter(6, html)
                .executeUpdate();
    }

    /** Replaces the template if it still has {@code version}; whether it did. */
    public boolean replaceTemplate(long resellerId, String kind, String locale, int version, String subject, String text,
                                   String html) {
        return em.createNativeQuery("UPDATE notification_templates SET subject = ?1, text_body = ?2, html_body = ?3,"
                        + " version = version + 1, updated_at = CURRENT_TIMESTAMP(3)"
                        + " WHERE reseller_id = ?4 AND kind = ?5 AND locale = ?6 AND version = ?7")
                .setParameter(1, subject).setParameter(2, text).setParameter(3, html)
                .setParameter(4, resellerId).setParameter(5, kind).setParameter(6, locale).setParameter(7, version)
                .executeUpdate() == 1;
    }

    /** Deletes the template (only if it has {@code version}, when given); whether a row went. */
    public boolean deleteTemplate(long resellerId, String kind, String locale, Integer version) {
        Query delete = em.createNativeQuery("DELETE FROM notification_templates"
                        + " WHERE reseller_id = ?1 AND kind = ?2 AND locale = ?3" + (version == null ? "" : " AND version = ?4"))
                .setParameter(1, resellerId).setParameter(2, kind).setParameter(3, locale);
        if (version != null) {
            delete.setParameter(4, version);
        }
        return delete.executeUpdate() == 1;
    }

    /**
     * The templates and default locale each of these brands has, by brand, in one query (brands
     * with neither are left out).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<Long, BrandTemplates.Brand> brandSettings(Collection<Long> resellerIds) {
        if (resellerIds.isEmpty()) {
            return Map.of();
        }
        List<?> rows = em.createNativeQuery("SELECT reseller_id, kind, locale, subject, text_body, html_body, version"
                        + " FROM notification_templates WHERE reseller_id IN (?1)"
                        + " UNION ALL SELECT reseller_id, NULL, default_locale, NULL, NULL, NULL, NULL"
                        + " FROM notification_brand_settings WHERE reseller_id IN (?1)")
                .setParameter(1, resellerIds).getResultList();
        Map<Long, String> locales = new HashMap<>();
        Map<Long, Map<String, TemplateRow>> templates = new HashMap<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            long brand = ((Number) r[0]).longValue();
            if (r[1] == null) {
                locales.put(brand, (String) r[2]);
            } else {
                TemplateRow t = new TemplateRow(brand, (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                        ((Number) r[6]).intValue());
                templates.computeIfAbsent(brand, k -> new HashMap<>()).put(t.kind() + "/" + t.locale(), t);
            }
        }
        Map<Long, BrandTemplates.Brand> settings = new HashMap<>();
        for (Long brand : resellerIds) {
            if (locales.containsKey(brand) || templates.containsKey(brand)) {
                settings.put(brand, new BrandTemplates.Brand(locales.get(brand), Map.copyOf(templates.getOrDefault(brand, Map.of()))));
            }
        }
        return settings;
    }

    public void setDefaultLocale(long resellerId, String locale) {
        em.createNativeQuery("INSERT INTO notification_brand_settings (reseller_id, default_locale) VALUES (?1, ?2)"
                        + " ON DUPLICATE KEY UPDATE default_locale = VALUES(default_locale)")
                .setParameter(1, resellerId).setParameter(2, locale).executeUpdate();
    }
}
