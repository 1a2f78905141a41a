package io.mailplane.lists;

import io.mailplane.directory.DirectoryRepository;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Per-user black and white lists. An entry is an address, {@code *@domain} or a domain, stored
 * canonically (domain part lowercase punycode). Writes lock the user's row.
 */
@ApplicationScoped
@Transactional
public class ListService {
    /** The two lists, with their code in the table and their name on the wire. */
    public enum Kind {
        BLACKLIST("B"), WHITELIST("W");

        final String code;

        Kind(String code) {
            this.code = code;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The longest entry: {@code *@} and a domain of 253 characters (an address has at most 254). */
    public static final int MAX_ENTRY = 2 + Addresses.MAX_DOMAIN;
    private static final Pattern FILTER = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1," + MAX_ENTRY + "}");

    private final ListRepository lists;
    private final DirectoryRepository directory;
    private final RowLocks locks;
    private final AuditLog audit;
    private final int maxEntries;

    public ListService(ListRepository lists, DirectoryRepository directory, RowLocks locks, AuditLog audit,
                       MailplaneConfig config) {
        this.lists = lists;
        this.directory = directory;
        this.locks = locks;
        this.audit = audit;
        this.maxEntries = config.lists().maxEntries();
    }

    /** The canonical form of an entry, or 400. */
    public static String canonicalEntry(String raw) {
        if (raw != null && raw.startsWith("*@")) {
            return Addresses.domain(raw.substring(2)).map(d -> "*@" + d)
                    .orElseThrow(() -> ApiException.invalid("value", "*@ must be followed by a valid domain"));
        }
        if (raw != null && raw.indexOf('*') >= 0) {
            throw ApiException.invalid("value", "* may only stand for the whole local part, as in *@domain");
        }
        if (raw != null && raw.contains("@")) {
            return Addresses.address(raw).orElseThrow(() -> ApiException.invalid("value", "must be an address, *@domain or a domain"));
        }
        return Addresses.domain(raw).orElseThrow(() -> ApiException.invalid("value", "must be an address, *@domain or a domain"));
    }

    /** The entries of one list, sorted; those matching {@code filter} ({@code *} = any characters) when given. Empty when no such user. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<List<String>> entries(TenantContext context, int userId, Kind kind, String filter) {
        Wildcards match = filter == null ? null : filterPattern(filter);
        return directory.userPk(context.id, userId).map(pk -> lists.entries(pk, kind).stream()
                .filter(e -> match == null || match.matches(e)).toList());
    }

    /** Adds an entry (adding one that is there changes nothing); the list as it is now. */
    public Optional<List<String>> add(TenantContext context, int userId, Kind kind, String raw) {
        String entry = canonicalEntry(raw);
        return locks.user(context.id, userId).map(pk -> {
            List<String> now = lists.entries(pk, kind);
            if (now.stream().noneMatch(entry::equalsIgnoreCase)) {
                if (now.size() >= maxEntries) {
                    throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "A " + kind.wireName() + " holds at most " + maxEntries + " entries.");
                }
                lists.add(pk, kind, entry);
                audit.record(kind.wireName() + ".add", describe(context, userId, kind) + ": +" + entry, context.resellerId, context.id);
                now = lists.entries(pk, kind);
            }
            return now;
        });
    }

    /** Removes one entry: empty when the user does not exist; 404 {@code ENTRY_NOT_FOUND} when it is not listed. */
    public Optional<Boolean> remove(TenantContext context, int userId, Kind kind, String raw) {
        String entry = canonicalEntry(raw);
        return locks.user(context.id, userId).map(pk -> {
            if (!lists.remove(pk, kind, entry)) {
                throw new ApiException(ErrorCode.ENTRY_NOT_FOUND, entry + " is not on the " + kind.wireName() + ".");
            }
            audit.record(kind.wireName() + ".remove", describe(context, userId, kind) + ": -" + entry, context.resellerId, context.id);
            return true;
        });
    }

    /** Empties one list; empty when the user does not exist. */
    public Optional<Integer> clear(TenantContext context, int userId, Kind kind) {
        return locks.user(context.id, userId).map(pk -> {
            int deleted = lists.clear(pk, kind);
            audit.record(kind.wireName() + ".clear", describe(context, userId, kind), context.resellerId, context.id);
            return deleted;
        });
    }

    /** The filter as a wildcard pattern (matched in linear time, never by a backtracking regex), or 400. */
    static Wildcards filterPattern(String filter) {
        if (!FILTER.matcher(filter).matches()) {
            throw ApiException.invalid("filter", "1-" + MAX_ENTRY + " characters of an address, with * for any characters");
        }
        return Wildcards.compile(filter);
    }

    private static String describe(TenantContext context, int userId, Kind kind) {
        return kind.wireName() + " of user " + userId + " in context " + context.id;
    }
}
