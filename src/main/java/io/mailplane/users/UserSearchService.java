package io.mailplane.users;

import io.mailplane.common.ApiException;
import io.mailplane.common.Paging;
import io.mailplane.common.constraints.Msisdn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /oxaas/v1/admin/users}: finds users by login, MSISDN digits, delivery status or
 * custom id. Every lookup is an index range (exact value, or a prefix with a trailing
 * {@code *}); the reseller's tree is applied through the context.
 */
@ApplicationScoped
@Transactional
public class UserSearchService {
    public enum Field { UIDNAME, MSISDN, OXDELIVERYSTATUS, CUSTOM, ANY }

    private final EntityManager em;

    public UserSearchService(EntityManager em) {
        this.em = em;
    }

    /** Users matching {@code search} in {@code field}, limited to {@code resellerId}'s tree unless it is {@code null}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserSummary> search(String search, Field field, Long resellerId, Paging paging) {
        boolean prefix = search.endsWith("*");
        String term = prefix ? search.substring(0, search.length() - 1) : search;
        if (term.isEmpty() || term.contains("*")) {
            throw ApiException.invalid("search", "a value, optionally ending in a single * for a prefix search");
        }
        List<String> branches = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        String operator = prefix ? " LIKE ?" : " = ?";
        String value = prefix ? likePrefix(term) : term;
        if (field == Field.UIDNAME || field == Field.ANY) {
            branches.add("SELECT pk FROM users WHERE uidname" + operator);
            params.add(value);
        }
        if (field == Field.MSISDN || field == Field.ANY) {
            String digits = Msisdn.Validator.digits(term);
            if (!digits.isEmpty()) {
                branches.add("SELECT pk FROM users WHERE msisdn_digits" + operator);
                params.add(prefix ? digits + "%" : digits);
            }
        }
        if (field == Field.OXDELIVERYSTATUS || field == Field.ANY) {
            branches.add("SELECT pk FROM users WHERE oxdeliverystatus" + operator);
            params.add(value);
        }
        if (field == Field.CUSTOM || field == Field.ANY) {
            branches.add("SELECT user_pk AS pk FROM user_custom_ids WHERE custom_id" + operator);
            params.add(value);
        }
        return load(branches, params, resellerId, paging);
    }

    /** Users of the tree with their primary address or an alias on {@code domain} (canonical). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserSummary> onDomain(String domain, Long resellerId, Paging paging) {
        String suffix = "%@" + domain;
        return load(List.of("SELECT pk FROM users WHERE primary_email LIKE ?", "SELECT user_pk AS pk FROM user_aliases WHERE address LIKE ?"),
                List.of(suffix, suffix), resellerId, paging);
    }

    /** Summaries of the users the union of {@code branches} (each selecting {@code pk}) finds, within the tree. */
    private List<UserSummary> load(List<String> branches, List<Object> params, Long resellerId, Paging paging) {
        if (branches.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder();
        if (resellerId != null) {
            sql.append("WITH RECURSIVE tree (id) AS (SELECT id FROM resellers WHERE id = ").append(resellerId.longValue())
                    .append(" UNION ALL SELECT r.id FROM resellers r JOIN tree t ON r.parent_id = t.id) ");
        }
        sql.append("SELECT u.pk, u.context_id, u.user_id, u.uidname, u.msisdn, u.oxdeliverystatus, u.oxlegacyref,"
                        + " u.oxantiphishing, u.antivirus, u.spamlevel, u.quotamode FROM (")
                .append(String.join(" UNION ", branches))
                .append(") hit JOIN users u ON u.pk = hit.pk");
        if (resellerId != null) {
            sql.append(" JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN (SELECT id FROM tree)");
        }
        sql.append(" ORDER BY u.pk LIMIT ").append(paging.limit()).append(" OFFSET ").append(paging.offset());
        Query query = em.createNativeQuery(sql.toString());
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> custom = new HashMap<>();
        Map<Long, List<String>> classes = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> lists = em.createNativeQuery("SELECT user_pk, 'c', custom_id FROM user_custom_ids WHERE user_pk IN (?1)"
                        + " UNION ALL SELECT user_pk, 's', cos FROM user_class_of_service WHERE user_pk IN (?1) ORDER BY 3")
                .setParameter(1, rows.stream().map(r -> ((Number) r[0]).longValue()).toList())
                .getResultList();
        for (Object[] l : lists) {
            ("c".equals(String.valueOf(l[1])) ? custom : classes)
                    .computeIfAbsent(((Number) l[0]).longValue(), k -> new ArrayList<>()).add((String) l[2]);
        }
        return rows.stream().map(r -> {
            long pk = ((Number) r[0]).longValue();
            return new UserSummary(((Number) r[1]).longValue(), ((Number) r[2]).intValue(), (String) r[3], (String) r[4],
                    classes.get(pk), (String) r[5], (String) r[6], (String) r[7],
                    r[8] == null ? null : r[8] instanceof Boolean b ? b : ((Number) r[8]).intValue() != 0,
                    (String) r[9], (String) r[10], custom.get(pk));
        }).toList();
    }

    private static String likePrefix(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
