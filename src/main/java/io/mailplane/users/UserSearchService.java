package io.mailplane.users;

import io.mailplane.common.ApiException;
import io.mailplane.common.Paging;
import io.mailplane.common.constraints.Msisdn;
import io.mailplane.tenancy.ResellerTree;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
    private final ResellerTree tree;

    public UserSearchService(EntityManager em, ResellerTree tree) {
        this.em = em;
        this.tree = tree;
    }

    /** Users matching {@code search} in {@code field}, limited to {@code resellerId}'s tree unless it is {@code null}. */
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
        if (branches.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT u.pk FROM (")
                .append(String.join(" UNION ", branches))
                .append(") hit JOIN users u ON u.pk = hit.pk");
        List<Long> scope = resellerId == null ? null : tree.subtree(resellerId);
        if (scope != null) {
            sql.append(" JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN (")
                    .append(String.join(",", scope.stream().map(String::valueOf).toList()))
                    .append(")");
        }
        sql.append(" ORDER BY u.pk LIMIT ").append(paging.limit()).append(" OFFSET ").append(paging.offset());
        Query query = em.createNativeQuery(sql.toString());
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Number> pks = query.getResultList();
        if (pks.isEmpty()) {
            return List.of();
        }
        List<MailUser> users = MailUser.list("pk in ?1", pks.stream().map(Number::longValue).toList());
        return users.stream().sorted(Comparator.comparing(u -> u.pk)).map(UserSummary::full).toList();
    }

    private static String likePrefix(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
