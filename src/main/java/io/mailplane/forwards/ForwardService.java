package io.mailplane.forwards;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.AddressRegistry;
import io.mailplane.domains.DomainService;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Forwarding aliases of a context. A write locks the alias's row, so concurrent writes to one
 * alias are serialised and all land while writes to different aliases run in parallel;
 * creating an alias additionally locks the context's row (before the alias's domain and the
 * alias, as {@link RowLocks} orders them), so creations in one context are serialised (the
 * alias limit holds, and concurrent creators of one alias meet). Transactions run at READ
 * COMMITTED: locking reads see the latest committed rows and take no gap locks.
 * A new alias also claims its address in {@link AddressRegistry}, whose primary key keeps it
 * from being a user's address at the same time; deleting the alias frees the address.
 */
@ApplicationScoped
@Transactional
public class ForwardService {
    private final ForwardRepository forwards;
    private final RowLocks locks;
    private final DomainService domains;
    private final AddressRegistry addresses;
    private final AuditLog audit;
    private final int maxRecipients;
    private final int maxAliases;
    private final JsonFactory json;

    public ForwardService(ForwardRepository forwards, RowLocks locks, DomainService domains,
                          AddressRegistry addresses, AuditLog audit,
                          MailplaneConfig config, ObjectMapper mapper) {
        this.json = mapper.getFactory();
        this.forwards = forwards;
        this.locks = locks;
        this.domains = domains;
        this.addresses = addresses;
        this.audit = audit;
        this.maxRecipients = config.forwards().maxRecipients();
        this.maxAliases = config.forwards().maxAliases();
    }

    /** What a write did. */
    public record Outcome(boolean created, int added, List<String> recipients) {
    }

    public int maxAliases() {
        return maxAliases;
    }

    /** The recipients of an alias of the context. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<List<String>> get(TenantContext context, String alias) {
        return forwards.idInContext(context.id, canonicalAlias(alias)).map(forwards::recipients);
    }

    /**
     * All aliases of the context with their recipients, in alias order, one page, encoded as
     * JSON; the database connection is returned before the caller writes a byte to the client.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ForwardListing all(TenantContext context, int limit, int offset) {
        return ForwardListing.encode(json, rows -> forwards.page(context.id, limit, offset, rows));
    }

    /** Creates the alias or replaces its recipients. */
    public Outcome replace(TenantContext context, String rawAlias, List<String> rawRecipients) {
        String alias = canonicalAlias(rawAlias);
        List<String> recipients = Recipients.canonical(alias, rawRecipients, maxRecipients);
        Target target = lock(context, alias);
        long id = target.id();
        forwards.removeAllRecipients(id);
        forwards.addRecipients(id, recipients);
        audit.record(target.created() ? "forward.create" : "forward.replace", describe(context, alias), context.resellerId, context.id);
        return new Outcome(target.created(), recipients.size(), forwards.recipients(id));
    }

    /** Adds recipients, creating the alias when needed. */
    public Outcome add(TenantContext context, String rawAlias, List<String> rawRecipients) {
        String alias = canonicalAlias(rawAlias);
        List<String> recipients = Recipients.canonical(alias, rawRecipients, maxRecipients);
        Target target = lock(context, alias);
        long id = target.id();
        Set<String> present = lower(forwards.recipients(id));
        List<String> fresh = recipients.stream().filter(r -> !present.contains(r.toLowerCase(Locale.ROOT))).toList();
        if (present.size() + fresh.size() > maxRecipients) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "An alias may have at most " + maxRecipients + " recipients.");
        }
        forwards.addRecipients(id, fresh);
        if (target.created() || !fresh.isEmpty()) {
            audit.record("forward.add", describe(context, alias) + ": +" + fresh.size(), context.resellerId, context.id);
        }
        return new Outcome(target.created(), fresh.size(), forwards.recipients(id));
    }

    /** Deletes the alias; false when the context has no such alias. */
    public boolean remove(TenantContext context, String rawAlias) {
        String alias = canonicalAlias(rawAlias);
        boolean deleted = forwards.deleteAlias(context.id, alias);
        if (deleted) {
            audit.record("forward.delete", describe(context, alias), context.resellerId, context.id);
        }
        return deleted;
    }

    public int deleteAll(TenantContext context) {
        locks.context(context.id);
        int deleted = forwards.deleteAll(context.id);
        audit.record("forward.delete-all", deleted + " forward(s) of context " + context.id, context.resellerId, context.id);
        return deleted;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean hasRecipient(TenantContext context, String rawAlias, String rawRecipient) {
        String recipient = Addresses.require("recipient", rawRecipient);
        return get(context, rawAlias).map(list -> lower(list).contains(recipient.toLowerCase(Locale.ROOT))).orElse(false);
    }

    /** Removes one recipient; the alias goes with its last recipient. Empty when alias or recipient do not exist. */
    public Optional<List<String>> removeRecipient(TenantContext context, String rawAlias, String rawRecipient) {
        String alias = canonicalAlias(rawAlias);
        String recipient = Addresses.require("recipient", rawRecipient);
        Optional<Long> id = locks.forwardInContext(context.id, alias);
        if (id.isEmpty() || !forwards.removeRecipient(id.get(), recipient)) {
            return Optional.empty();
        }
        List<String> left = forwards.recipients(id.get());
        if (left.isEmpty()) {
            forwards.deleteById(id.get());
        }
        audit.record("forward.remove-recipient", describe(context, alias) + ": -" + recipient, context.resellerId, context.id);
        return Optional.of(left);
    }

    /** The canonical alias address; whether its domain suits the context is checked when it is created. */
    private static String canonicalAlias(String raw) {
        return Addresses.require("alias", raw);
    }

    /** A locked alias row, and whether this transaction created it. */
    private record Target(long id, boolean created) {
    }

    /** Locks the alias, creating it when it does not exist. */
    private Target lock(TenantContext context, String alias) {
        Optional<Long> existing = lockExisting(context, alias);
        if (existing.isPresent()) {
            return new Target(existing.get(), false);
        }
        locks.context(context.id);
        // Another creator may have been first while this one waited for the context.
        return lockExisting(context, alias).map(id -> new Target(id, false))
                .orElseGet(() -> new Target(create(context, alias), true));
    }

    /** Locks the alias's row in this context; 409 when another context has the alias. */
    private Optional<Long> lockExisting(TenantContext context, String alias) {
        Optional<RowLocks.ForwardRow> row = locks.forwardByAlias(alias);
        if (row.isPresent() && row.get().contextId() != context.id) {
            // An alias the context could not have anyway is refused as such, not reported as taken. The
            // domain is read without a lock: domains come before forwards in the lock order, and the
            // request is refused either way.
            domains.requireUsableWithoutLock(context, "alias", alias);
            throw new ApiException(ErrorCode.ALIAS_EXISTS, "Alias " + alias + " belongs to another context.");
        }
        return row.map(RowLocks.ForwardRow::id);
    }

    /** Creates the alias (context locked): on a domain of the context or a shared one of its brand, not a user's address, within the limit. */
    private long create(TenantContext context, String alias) {
        domains.requireUsable(context, "alias", alias);
        Optional<String> owner = addresses.kindOf(alias);
        if (owner.filter(AddressRegistry.FORWARD::equals).isPresent()) {
            throw new ApiException(ErrorCode.ALIAS_EXISTS, "Alias " + alias + " belongs to another context.");
        }
        if (owner.isPresent()) {
            throw new ApiException(ErrorCode.ADDRESS_EXISTS, "Alias " + alias + " is a user's address.");
        }
        if (forwards.countInContext(context.id) >= maxAliases) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "A context may have at most " + maxAliases + " forwarding aliases.");
        }
        long id = forwards.insert(context.id, alias)
                .orElseThrow(() -> new ApiException(ErrorCode.ALIAS_EXISTS, "Alias " + alias + " belongs to another context."));
        // A user may have taken the address since the check above; the registry's key decides.
        addresses.claimForward(context.id, id, alias);
        return id;
    }

    private static Set<String> lower(List<String> values) {
        Set<String> lower = new LinkedHashSet<>();
        values.forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
        return lower;
    }

    private static String describe(TenantContext context, String alias) {
        return "forward " + alias + " in context " + context.id;
    }
}
