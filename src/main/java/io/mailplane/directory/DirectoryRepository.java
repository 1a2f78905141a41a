package io.mailplane.directory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the directory: the accounts (resellers, contexts, users) as others look them up, the
 * reseller tree, and the two claim tables {@code login_claims} and {@code mail_addresses}. The
 * rules around them stay in {@link ContextDirectory} (cache), {@link ResellerTree} (walks),
 * {@link LoginClaims} and {@link AddressRegistry} (who may claim what, which conflict it is).
 *
 * <p>Query styles, by what is read: Panache finders where an entity is wanted (it is the obvious
 * choice, and the session then holds the one copy of the row); a JPQL projection for
 * {@link #contextRow}, which must see the row as committed now, not the session's copy; native
 * SQL for the recursive reseller tree (a {@code WITH RECURSIVE} that JPQL cannot say) and for the
 * two claim tables, which have no entities and rely on MySQL's {@code INSERT IGNORE} (a
 * duplicate key waits for its writer, then inserts nothing, instead of failing the transaction).
 * Reads join the caller's transaction or run without one; claims need the caller's transaction.
 */
@ApplicationScoped
public class DirectoryRepository {
    /** Who owns a login claim (a column of {@code login_claims}). */
    public enum ClaimOwner {
        USER("user_pk"), RESELLER("reseller_id"), TENANT("tenant_reseller_id");

        final String column;

        ClaimOwner(String column) {
            this.column = column;
        }
    }

    /** Who owns an address (a column of {@code mail_addresses}). */
    public enum AddressOwner {
        USER("user_pk"), FORWARD("forward_id");

        final String column;

        AddressOwner(String column) {
            this.column = column;
        }
    }

    /** The columns of a context as the database holds them (see {@link #contextRow}). */
    public record ContextRow(long id, String name, long resellerId, String adminLogin, String adminPasswordHash,
                             Integer maxUsers, Long maxQuotaMb, int version) {
        static ContextRow of(Object[] row) {
            return new ContextRow(((Number) row[0]).longValue(), (String) row[1], ((Number) row[2]).longValue(), (String) row[3],
                    (String) row[4], (Integer) row[5], (Long) row[6], ((Number) row[7]).intValue());
        }
    }

    private static final String CONTEXT_COLUMNS = "SELECT c.id, c.name, c.resellerId, c.adminLogin, c.adminPasswordHash,"
            + " c.maxUsers, c.maxQuotaMb, c.version FROM TenantContext c WHERE ";

    private final EntityManager em;

    public DirectoryRepository(EntityManager em) {
        this.em = em;
    }

    // ---- accounts ----

    public Optional<Reseller> reseller(long id) {
        return Reseller.findByIdOptional(id);
    }

    public Optional<Reseller> resellerByName(String name) {
        return Reseller.<Reseller>find("name", name).firstResultOptional();
    }

    public Optional<TenantCredential> tenantCredentialByLogin(String login) {
        return TenantCredential.<TenantCredential>find("login", login).firstResultOptional();
    }

    public Optional<TenantContext> context(long id) {
        return TenantContext.findByIdOptional(id);
    }

    /** The context by numeric id or by name, as OX paths allow both (the session's copy, if it holds one). */
    public Optional<TenantContext> contextByIdOrName(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if (io.mailplane.common.Ids.isNumeric(ref)) {
            return TenantContext.findByIdOptional(Long.parseLong(ref));
        }
        return TenantContext.<TenantContext>find("name", ref).firstResultOptional();
    }

    /**
     * The context's row as the database holds it now: columns, not an entity, since the request's
     * session may hold the context as it was read earlier in the request (say while checking the
     * caller's password, before a concurrent change committed), and would answer that.
     */
    public Optional<ContextRow> contextRow(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        List<Object[]> rows = io.mailplane.common.Ids.isNumeric(ref)
                ? em.createQuery(CONTEXT_COLUMNS + "c.id = ?1", Object[].class).setParameter(1, Long.parseLong(ref)).getResultList()
                : em.createQuery(CONTEXT_COLUMNS + "c.name = ?1", Object[].class).setParameter(1, ref).getResultList();
        return rows.stream().findFirst().map(ContextRow::of);
    }

    public Optional<MailUser> userByUidname(String uidname) {
        return MailUser.<MailUser>find("uidname", uidname).firstResultOptional();
    }

    /** How a context's user is named: by its id, its login or its primary address (a column of {@code users}). */
    public enum UserKey {
        USER_ID("user_id"), UIDNAME("uidname"), PRIMARY_EMAIL("primary_email");

        final String column;

        UserKey(String column) {
            this.column = column;
        }
    }

    /** The primary key of the context's user with this id, login or primary address; without a lock. */
    public Optional<Long> userPk(long contextId, UserKey key, Object value) {
        @SuppressWarnings("unchecked")
        List<Number> pks = em.createNativeQuery("SELECT pk FROM users WHERE context_id = ?1 AND " + key.column + " = ?2 ORDER BY pk")
                .setParameter(1, contextId).setParameter(2, value).setMaxResults(1).getResultList();
        return pks.stream().findFirst().map(Number::longValue);
    }

    /** The primary key of the context's user with this id; without a lock. */
    public Optional<Long> userPk(long contextId, int userId) {
        return userPk(contextId, UserKey.USER_ID, userId);
    }

    // ---- the reseller tree ----

    /** The reseller and all its descendants. */
    public List<Long> resellerSubtree(long resellerId) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("WITH RECURSIVE tree (id) AS ("
                        + " SELECT id FROM resellers WHERE id = ?1"
                        + " UNION ALL SELECT r.id FROM resellers r JOIN tree t ON r.parent_id = t.id)"
                        + " SELECT id FROM tree")
                .setParameter(1, resellerId)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /**
     * The reseller and its ancestors, nearest first, at most {@code maxDepth} of them, in one query;
     * empty when the reseller does not exist.
     */
    public List<ResellerTree.Brand> brandLineage(long resellerId, int maxDepth) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("WITH RECURSIVE up (id, parent_id, brand, display_name, depth) AS ("
                        + " SELECT id, parent_id, brand, display_name, 0 FROM resellers WHERE id = ?1"
                        + " UNION ALL SELECT r.id, r.parent_id, r.brand, r.display_name, up.depth + 1 FROM resellers r"
                        + " JOIN up ON r.id = up.parent_id WHERE up.depth + 1 < ?2)"
                        + " SELECT id, parent_id, brand, display_name FROM up ORDER BY depth")
                .setParameter(1, resellerId).setParameter(2, maxDepth)
                .getResultList();
        return rows.stream().map(r -> new ResellerTree.Brand(((Number) r[0]).longValue(),
                r[1] == null ? null : ((Number) r[1]).longValue(), (String) r[2], (String) r[3])).toList();
    }

    // ---- login_claims ----

    /**
     * Makes {@code login} the one login of this owner (its row flushed first, so the claim can
     * name it): releases the owner's other login, inserts the claim; false when another account
     * holds the login.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claimLogin(String login, ClaimOwner owner, long ownerId) {
        em.flush();
        em.createNativeQuery("DELETE FROM login_claims WHERE " + owner.column + " = ?1 AND login <> ?2")
                .setParameter(1, ownerId).setParameter(2, login).executeUpdate();
        int inserted = em.createNativeQuery("INSERT IGNORE INTO login_claims (login, " + owner.column + ") VALUES (?1, ?2)")
                .setParameter(1, login).setParameter(2, ownerId).executeUpdate();
        if (inserted == 1) {
            return true;
        }
        // The login is claimed already: by this very account (same name, maybe in another case), or taken.
        @SuppressWarnings("unchecked")
        List<Number> holder = em.createNativeQuery("SELECT " + owner.column + " FROM login_claims WHERE login = ?1")
                .setParameter(1, login).getResultList();
        return !holder.isEmpty() && holder.get(0) != null && holder.get(0).longValue() == ownerId;
    }

    // ---- mail_addresses ----

    /** The addresses among {@code addresses} that someone other than the user ({@code userPk}, null for a new one) owns. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> addressesTakenByOthers(Collection<String> addresses, Long userPk) {
        @SuppressWarnings("unchecked")
        List<String> taken = em.createNativeQuery("SELECT address FROM mail_addresses WHERE address IN (?1)"
                        + " AND (user_pk IS NULL OR user_pk <> ?2) ORDER BY address")
                .setParameter(1, addresses).setParameter(2, userPk == null ? -1L : userPk).getResultList();
        return taken;
    }

    /** The kind of owner of the address (column {@code kind}); empty when it is free. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> addressKind(String address) {
        @SuppressWarnings("unchecked")
        List<String> kinds = em.createNativeQuery("SELECT kind FROM mail_addresses WHERE address = ?1")
                .setParameter(1, address).getResultList();
        return kinds.stream().findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void deleteUserAddresses(long contextId, long userPk) {
        em.createNativeQuery("DELETE FROM mail_addresses WHERE context_id = ?1 AND user_pk = ?2")
                .setParameter(1, contextId).setParameter(2, userPk).executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void deleteUserAlias(long contextId, long userPk, String alias) {
        em.createNativeQuery("DELETE FROM mail_addresses WHERE address = ?1 AND context_id = ?2 AND user_pk = ?3 AND kind = 'alias'")
                .setParameter(1, alias).setParameter(2, contextId).setParameter(3, userPk).executeUpdate();
    }

    /**
     * Inserts the address for its owner; false when someone owns it. A duplicate waits for its
     * writer's transaction to end, then inserts nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean insertAddress(String address, long contextId, String kind, AddressOwner ownerKind, long owner) {
        return em.createNativeQuery("INSERT IGNORE INTO mail_addresses (address, context_id, kind, " + ownerKind.column + ")"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, address).setParameter(2, contextId).setParameter(3, kind).setParameter(4, owner)
                .executeUpdate() == 1;
    }
}
