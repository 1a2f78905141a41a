package io.mailplane.users;

import io.mailplane.common.ApiException;
import io.mailplane.common.Paging;
import io.mailplane.common.constraints.Msisdn;
import io.mailplane.users.UserRepository.Match;
import io.mailplane.users.UserRepository.SearchColumn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
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

    private final UserRepository users;

    public UserSearchService(UserRepository users) {
        this.users = users;
    }

    /** Users matching {@code search} in {@code field}, limited to {@code resellerId}'s tree unless it is {@code null}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserSummary> search(String search, Field field, Long resellerId, Paging paging) {
        boolean prefix = search.endsWith("*");
        String term = prefix ? search.substring(0, search.length() - 1) : search;
        if (term.isEmpty() || term.contains("*")) {
            throw ApiException.invalid("search", "a value, optionally ending in a single * for a prefix search");
        }
        List<Match> matches = new ArrayList<>();
        String value = prefix ? likePrefix(term) : term;
        if (field == Field.UIDNAME || field == Field.ANY) {
            matches.add(new Match(SearchColumn.UIDNAME, value, prefix));
        }
        if (field == Field.MSISDN || field == Field.ANY) {
            String digits = Msisdn.Validator.digits(term);
            if (!digits.isEmpty()) {
                matches.add(new Match(SearchColumn.MSISDN_DIGITS, prefix ? digits + "%" : digits, prefix));
            }
        }
        if (field == Field.OXDELIVERYSTATUS || field == Field.ANY) {
            matches.add(new Match(SearchColumn.OXDELIVERYSTATUS, value, prefix));
        }
        if (field == Field.CUSTOM || field == Field.ANY) {
            matches.add(new Match(SearchColumn.CUSTOM_ID, value, prefix));
        }
        return users.search(matches, resellerId, paging);
    }

    /** Users of the tree with their primary address or an alias on {@code domain} (canonical). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserSummary> onDomain(String domain, Long resellerId, Paging paging) {
        String suffix = "%@" + domain;
        return users.search(List.of(new Match(SearchColumn.PRIMARY_EMAIL, suffix, true), new Match(SearchColumn.ALIAS, suffix, true)),
                resellerId, paging);
    }

    /** {@code term} as the pattern of a LIKE prefix search: its own {@code \ % _} escaped, then {@code %}. */
    private static String likePrefix(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
