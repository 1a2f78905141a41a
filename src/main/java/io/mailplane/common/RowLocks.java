package io.mailplane.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Every row lock of the service, in SQL that both MySQL 8 and MariaDB accept (Hibernate's MySQL
 * dialect emits {@code FOR UPDATE OF}, which MariaDB rejects). Nothing else writes
 * {@code FOR UPDATE} or {@code LOCK IN SHARE MODE}, or asks the entity manager for a lock mode
 * ({@link #bumpVersion}); {@code PersistenceShapeTest} checks it.
 *
 * <p><b>Lock order</b> (README, "Locks"): a transaction takes its locks in this order and never
 * goes back up the list, so two writers never wait for each other in a circle:
 * <ol>
 *   <li>{@link #context} — a context's row (limits, creating users, groups and forwards in it);</li>
 *   <li>{@link #user} / {@link #group} — one user's or group's row (every write to it or to what hangs
 *       off it: attributes, aliases, lists, external accounts, sessions); {@link #mailbox} — a mailbox's
 *       user's row, then the mailbox's own (every write to a mailbox holds its user's row first);
 *       {@link #sharedAccount} — a shared account's backing user's row, then its own, then (for a
 *       creation or owner transfer) the owner's user row;</li>
 *   <li>{@link #domainOwner} (exclusive) / {@link #usableDomains} (shared) — mail domains, while
 *       addresses on them are taken or released (a new forwarding alias is checked against its domain
 *       before its row is written);</li>
 *   <li>{@link #forwardInContext} / {@link #forwardByAlias} — forwarding aliases (a forced domain
 *       release deletes them after locking the domain);</li>
 *   <li>{@link #openSessions} — a context's or user's open sessions;</li>
 *   <li>{@link #reseller} — last: the root reseller of a tree, whose restrictions bound the whole
 *       tree (taken after the context when a write counts against them).</li>
 * </ol>
 * Notification outbox rows ({@link #dueOutboxRows}, {@link #outboxRow}) are locked in transactions
 * of their own that take no other lock.
 * {@link #announcement} — an announcement's row (its writes, its targets, dismissals of it) — is
 * taken alone: no transaction that holds it takes another lock of this list.
 * All run at READ COMMITTED: locking reads see the latest committed rows and take no gap locks.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RowLocks {
    private final EntityManager em;

    public RowLocks(EntityManager em) {
        this.em = em;
    }

    /** Locks the context row until the transaction ends. */
    public void context(long id) {
        em.createNativeQuery("SELECT id FROM contexts WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList();
    }

    /** Locks a user row until the transaction ends; its primary key, or empty when there is no such user. */
    public Optional<Long> user(long contextId, int userId) {
        return firstLong(em.createNativeQuery("SELECT pk FROM users WHERE context_id = ?1 AND user_id = ?2 FOR UPDATE")
                .setParameter(1, contextId).setParameter(2, userId).getResultList());
    }

    /** Locks a user row, named by its primary key, until the transaction ends; whether it exists. */
    public boolean userByPk(long pk) {
        return !em.createNativeQuery("SELECT pk FROM users WHERE pk = ?1 FOR UPDATE").setParameter(1, pk).getResultList().isEmpty();
    }

    /**
     * Locks the row of the mailbox's user, then the mailbox's row (the user first, like a user's
     * deletion, which removes the mailbox with it); the user's primary key, or empty when the
     * context has no such mailbox.
     */
    public Optional<Long> mailbox(long contextId, long mailboxId) {
        Optional<Long> userPk = firstLong(em.createNativeQuery("SELECT user_pk FROM mailboxes WHERE context_id = ?1 AND id = ?2")
                .setParameter(1, contextId).setParameter(2, mailboxId).getResultList());
        if (userPk.isEmpty() || !userByPk(userPk.get())) {
            return Optional.empty();
        }
        return em.createNativeQuery("SELECT id FROM mailboxes WHERE id = ?1 AND user_pk = ?2 FOR UPDATE")
                .setParameter(1, mailboxId).setParameter(2, userPk.get()).getResultList().isEmpty() ? Optional.empty() : userPk;
    }

    /**
     * Locks the row of the shared account's backing user, then the shared account's row (the user
     * first, like the user's deletion, which removes the account with it); the account's id, or
     * empty when the context has no shared account with this address. Same place in the lock order
     * as {@link #mailbox}. An owner's row, when a write also locks it, comes after (owners are never
     * shared accounts, so no transaction takes these two the other way round).
     */
    public Optional<Long> sharedAccount(long contextId, String address) {
        @SuppressWarnings("unchecked")
        List<Object[]> found = em.createNativeQuery("SELECT s.id, s.user_pk FROM shared_accounts s JOIN users u ON u.pk = s.user_pk"
                + " WHERE s.context_id = ?1 AND u.primary_email = ?2").setParameter(1, contextId).setParameter(2, address).getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long id = ((Number) found.get(0)[0]).longValue();
        long userPk = ((Number) found.get(0)[1]).longValue();
        if (!userByPk(userPk)) {
            return Optional.empty();
        }
        return em.createNativeQuery("SELECT id FROM shared_accounts WHERE id = ?1 AND user_pk = ?2 FOR UPDATE")
                .setParameter(1, id).setParameter(2, userPk).getResultList().isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** Locks a group row until the transaction ends; its primary key, or empty when there is no such group. */
    public Optional<Long> group(long contextId, int groupId) {
        return firstLong(em.createNativeQuery("SELECT pk FROM groups_ WHERE context_id = ?1 AND group_id = ?2 FOR UPDATE")
                .setParameter(1, contextId).setParameter(2, groupId).getResultList());
    }

    /** Locks the forwarding alias of this context; its id, or empty when the context has no such alias. */
    public Optional<Long> forwardInContext(long contextId, String alias) {
        return firstLong(em.createNativeQuery("SELECT id FROM forwards WHERE context_id = ?1 AND alias = ?2 FOR UPDATE")
                .setParameter(1, contextId).setParameter(2, alias).getResultList());
    }

    /** A locked forwarding alias of any context. */
    public record ForwardRow(long id, long contextId) {
    }

    /** Locks the forwarding alias wherever it is; empty when no context has it. */
    public Optional<ForwardRow> forwardByAlias(String alias) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, context_id FROM forwards WHERE alias = ?1 FOR UPDATE")
                .setParameter(1, alias).getResultList();
        return rows.stream().findFirst().map(r -> new ForwardRow(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
    }

    /** Who owns a domain: a context, or a brand (for shared domains). */
    public enum DomainOwner {
        CONTEXT("context_id"), BRAND("reseller_id");

        final String column;

        DomainOwner(String column) {
            this.column = column;
        }
    }

    /** Locks the domain's row when {@code owner}'s kind owns it (addresses being taken on it are waited for); the owner's id. */
    public Optional<Long> domainOwner(String domain, DomainOwner owner) {
        return firstLong(em.createNativeQuery("SELECT " + owner.column + " FROM mail_domains WHERE name = ?1 AND "
                + owner.column + " IS NOT NULL FOR UPDATE").setParameter(1, domain).getResultList());
    }

    /**
     * Share-locks the rows that make {@code domain} usable by the context (its own domain, or a shared
     * domain of one of {@code brandIds}), so a concurrent release waits; how many there are.
     */
    public long usableDomains(String domain, long contextId, List<Long> brandIds) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM mail_domains WHERE name = ?1 "
                        + "AND (context_id = ?2 OR reseller_id IN (?3)) LOCK IN SHARE MODE")
                .setParameter(1, domain).setParameter(2, contextId).setParameter(3, brandIds)
                .getSingleResult()).longValue();
    }

    /** An open session locked for closing. */
    public record OpenSession(long id, int userId, String uidname) {
    }

    /** Locks the open sessions of a context, or of one user of it ({@code userPk}), in id order. */
    public List<OpenSession> openSessions(long contextId, Long userPk) {
        jakarta.persistence.Query query = em.createNativeQuery("SELECT s.id, u.user_id, u.uidname FROM user_sessions s JOIN users u ON u.pk = s.user_pk "
                        + "WHERE u.context_id = ?1 " + (userPk == null ? "" : "AND u.pk = ?2 ")
                        + "AND s.revoked_at IS NULL AND s.expires_at > CURRENT_TIMESTAMP(3) ORDER BY s.id FOR UPDATE")
                .setParameter(1, contextId);
        if (userPk != null) {
            query.setParameter(2, userPk);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new OpenSession(((Number) r[0]).longValue(), ((Number) r[1]).intValue(), (String) r[2])).toList();
    }

    /** Locks the reseller row until the transaction ends (last in the lock order). */
    public void reseller(long id) {
        em.createNativeQuery("SELECT id FROM resellers WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList();
    }

    /**
     * Locks up to {@code limit} due notification outbox rows (queued and due, or claimed by a worker
     * whose lease ran out) that no other transaction holds, skipping those another worker is claiming
     * (MySQL 8 and MariaDB 10.6+); their ids, oldest due first.
     */
    public List<Long> dueOutboxRows(int limit) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT id FROM notification_outbox WHERE status IN ('queued', 'sending') "
                        + "AND next_attempt_at <= CURRENT_TIMESTAMP(3) ORDER BY next_attempt_at, id LIMIT ?1 FOR UPDATE SKIP LOCKED")
                .setParameter(1, limit).getResultList();
        return rows.stream().map(r -> ((Number) r).longValue()).toList();
    }

    /** Locks one notification outbox row until the transaction ends; its status, or empty when there is no such row. */
    public Optional<String> outboxRow(long id) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT status FROM notification_outbox WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(Object::toString);
    }

    /** Locks an announcement row until the transaction ends; whether it exists. */
    public boolean announcement(long id) {
        return !em.createNativeQuery("SELECT id FROM announcements WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList().isEmpty();
    }

    /**
     * Moves a locked entity's {@code @Version} on when the transaction commits (its row is locked, so
     * the version cannot move under it): the one way a change held outside the entity's own fields
     * (a user's attributes, written with native SQL) moves its ETag. Optimistic on purpose:
     * Hibernate's pessimistic modes emit {@code FOR UPDATE OF}, which MariaDB rejects.
     */
    public void bumpVersion(Object entity) {
        em.lock(entity, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
    }

    private static Optional<Long> firstLong(List<?> rows) {
        return rows.stream().findFirst().map(r -> ((Number) r).longValue());
    }
}
