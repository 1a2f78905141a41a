package io.mailplane.forwards;

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
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Forwarding aliases of a context. A write locks the alias's row, so concurrent writes to one
 * alias are serialised and all land while writes to different aliases run in parallel;
 * creating an alias additionally locks the context's row, so creations in one context are
 * serialised (the alias limit holds, and concurrent creators of one alias meet). Transactions
 * run at READ COMMITTED: locking reads see the latest committed rows and take no gap locks.
 * A new alias also claims its address in {@link AddressRegistry}, whose primary key keeps it
 * from being a user's address at the same time; deleting the alias frees the address.
 */
@ApplicationScoped
@Transactional
public class ForwardService {
    private final EntityManager em;
    private final DataSource dataSource;
    private final RowLocks locks;
    private final DomainService domains;
    private final AddressRegistry addresses;
    private final AuditLog audit;
    private final int maxRecipients;
    private final int maxAliases;

    public ForwardService(EntityManager em, DataSource dataSource, RowLocks locks, DomainService domains,
                          AddressRegistry addresses, AuditLog audit,
                          MailplaneConfig config) {
        this.em = em;
        this.dataSource = dataSource;
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
        return ownId(context, canonicalAlias(alias), false).map(this::recipientsOf);
    }

    /**
     * All aliases of the context with their recipients, in alias order. A context may hold tens
     * of thousands of rows here, so they are read straight from JDBC, without building entities.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<String>> all(TenantContext context, int limit, int offset) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT f.alias, r.recipient FROM (SELECT id, alias "
                     + "FROM forwards WHERE context_id = ? ORDER BY alias LIMIT ? OFFSET ?) f "
                     + "LEFT JOIN forward_recipients r ON r.forward_id = f.id ORDER BY f.alias, r.recipient")) {
            statement.setLong(1, context.id);
            statement.setInt(2, limit);
            statement.setInt(3, offset);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    List<String> recipients = all.computeIfAbsent(rows.getString(1), k -> new ArrayList<>());
                    String recipient = rows.getString(2);
                    if (recipient != null) {
                        recipients.add(recipient);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the forwards of context " + context.id + " failed", e);
        }
        return all;
    }

    /** Creates the alias or replaces its recipients. */
    public Outcome replace(TenantContext context, String rawAlias, List<String> rawRecipients) {
        String alias = canonicalAlias(rawAlias);
        List<String> recipients = canonicalRecipients(alias, rawRecipients);
        Target target = lock(context, alias);
        long id = target.id();
        em.createNativeQuery("DELETE FROM forward_recipients WHERE forward_id = ?1").setParameter(1, id).executeUpdate();
        insert(id, recipients);
        audit.record(target.created() ? "forward.create" : "forward.replace", describe(context, alias), context.resellerId, context.id);
        return new Outcome(target.created(), recipients.size(), recipientsOf(id));
    }

    /** Adds recipients, creating the alias when needed. */
    public Outcome add(TenantContext context, String rawAlias, List<String> rawRecipients) {
        String alias = canonicalAlias(rawAlias);
        List<String> recipients = canonicalRecipients(alias, rawRecipients);
        Target target = lock(context, alias);
        long id = target.id();
        Set<String> present = lower(recipientsOf(id));
        List<String> fresh = recipients.stream().filter(r -> !present.contains(r.toLowerCase(Locale.ROOT))).toList();
        if (present.size() + fresh.size() > maxRecipients) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "An alias may have at most " + maxRecipients + " recipients.");
        }
        insert(id, fresh);
        if (target.created() || !fresh.isEmpty()) {
            audit.record("forward.add", describe(context, alias) + ": +" + fresh.size(), context.resellerId, context.id);
        }
        return new Outcome(target.created(), fresh.size(), recipientsOf(id));
    }

    public boolean delete(TenantContext context, String rawAlias) {
        String alias = canonicalAlias(rawAlias);
        int deleted = em.createNativeQuery("DELETE FROM forwards WHERE context_id = ?1 AND alias = ?2")
                .setParameter(1, context.id).setParameter(2, alias).executeUpdate();
        if (deleted > 0) {
            audit.record("forward.delete", describe(context, alias), context.resellerId, context.id);
        }
        return deleted > 0;
    }

    public int deleteAll(TenantContext context) {
        locks.context(context.id);
        int deleted = em.createNativeQuery("DELETE FROM forwards WHERE context_id = ?1").setParameter(1, context.id).executeUpdate();
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
        Optional<Long> id = ownId(context, alias, true);
        if (id.isEmpty() || em.createNativeQuery("DELETE FROM forward_recipients WHERE forward_id = ?1 AND recipient = ?2")
                .setParameter(1, id.get()).setParameter(2, recipient).executeUpdate() == 0) {
            return Optional.empty();
        }
        List<String> left = recipientsOf(id.get());
        if (left.isEmpty()) {
            em.createNativeQuery("DELETE FROM forwards WHERE id = ?1").setParameter(1, id.get()).executeUpdate();
        }
        audit.record("forward.remove-recipient", describe(context, alias) + ": -" + recipient, context.resellerId, context.id);
        return Optional.of(left);
    }

    /** The canonical alias address; whether its domain suits the context is checked when it is created. */
    private static String canonicalAlias(String raw) {
        return Addresses.require("alias", raw);
    }

    private List<String> canonicalRecipients(String alias, List<String> raw) {
        if (raw.isEmpty()) {
            throw ApiException.invalid("recipient", "name at least one recipient");
        }
        if (raw.size() > maxRecipients) {
            throw ApiException.invalid("recipient", "at most " + maxRecipients + " recipients");
        }
        Map<String, String> canonical = new TreeMap<>();
        for (String r : raw) {
            String address = Addresses.require("recipient", r);
            if (address.equalsIgnoreCase(alias)) {
                throw ApiException.invalid("recipient", "an alias cannot forward to itself");
            }
            canonical.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
        }
        return List.copyOf(new LinkedHashSet<>(canonical.values()));
    }

    /** The alias's id if this context has it (locked when {@code lock}); another context's alias is simply absent here. */
    private Optional<Long> ownId(TenantContext context, String alias, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT id FROM forwards WHERE context_id = ?1 AND alias = ?2" + (lock ? " FOR UPDATE" : ""))
                .setParameter(1, context.id).setParameter(2, alias).getResultList();
        return ids.stream().findFirst().map(Number::longValue);
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
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, context_id FROM forwards WHERE alias = ?1 FOR UPDATE")
                .setParameter(1, alias).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        if (((Number) rows.get(0)[1]).longValue() != context.id) {
            // an alias the context could not have anyway is refused as such, not reported as taken
            domains.requireUsable(context, "alias", alias);
            throw new ApiException(ErrorCode.ALIAS_EXISTS, "Alias " + alias + " belongs to another context.");
        }
        return Optional.of(((Number) rows.get(0)[0]).longValue());
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
        long count = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM forwards WHERE context_id = ?1")
                .setParameter(1, context.id).getSingleResult()).longValue();
        if (count >= maxAliases) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "A context may have at most " + maxAliases + " forwarding aliases.");
        }
        if (em.createNativeQuery("INSERT IGNORE INTO forwards (context_id, alias) VALUES (?1, ?2)")
                .setParameter(1, context.id).setParameter(2, alias).executeUpdate() == 0) {
            throw new ApiException(ErrorCode.ALIAS_EXISTS, "Alias " + alias + " belongs to another context.");
        }
        long id = ((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue();
        // A user may have taken the address since the check above; the registry's key decides.
        addresses.claimForward(context.id, id, alias);
        return id;
    }

    private void insert(long forwardId, List<String> recipients) {
        for (String r : recipients) {
            em.createNativeQuery("INSERT IGNORE INTO forward_recipients (forward_id, recipient) VALUES (?1, ?2)")
                    .setParameter(1, forwardId).setParameter(2, r).executeUpdate();
        }
    }

    private List<String> recipientsOf(long forwardId) {
        @SuppressWarnings("unchecked")
        List<String> recipients = em.createNativeQuery("SELECT recipient FROM forward_recipients WHERE forward_id = ?1 ORDER BY recipient")
                .setParameter(1, forwardId).getResultList();
        return recipients;
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
