package io.mailplane.tenancy;

import io.mailplane.common.Paging;
import io.mailplane.directory.Reseller;
import io.mailplane.directory.TenantContext;
import io.mailplane.directory.TenantCredential;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of provisioning: resellers, their tenant credentials, contexts, and the usage counts
 * that restrictions are checked against.
 *
 * <p>Query styles: Panache for the three entities, which are read, changed and written back as
 * objects (their {@code @Version} moves with every change). Native SQL for the rest, each for a
 * reason: the usage counts are aggregates over other features' rows (users) that need no entity,
 * one style for all five so they read alike (they were Panache, JPQL and native before); deleting a
 * context is one statement whose foreign keys ({@code ON DELETE CASCADE}) take everything in it;
 * context ids come from MySQL's {@code LAST_INSERT_ID()} on a sequence table.
 *
 * <p>Writes need the service's transaction ({@code MANDATORY}); reads join it or run without one.
 * Row locks are {@code RowLocks}'.
 */
@ApplicationScoped
public class TenancyRepository {
    private final EntityManager em;

    public TenancyRepository(EntityManager em) {
        this.em = em;
    }

    // ---- resellers ----

    public Optional<Reseller> reseller(long id) {
        return Reseller.findByIdOptional(id);
    }

    public boolean resellerNameTaken(String name) {
        return Reseller.count("name", name) > 0;
    }

    public boolean brandTaken(String brand) {
        return Reseller.count("brand", brand) > 0;
    }

    /** All resellers ({@code ids == null}) or those with these ids, by id. */
    public List<Reseller> resellers(List<Long> ids, Paging paging) {
        var query = ids == null
                ? Reseller.<Reseller>findAll(Sort.ascending("id"))
                : Reseller.<Reseller>find("id in ?1", Sort.ascending("id"), ids);
        return query.range(paging.offset(), paging.last()).list();
    }

    /** Whether the reseller still owns contexts or sub-resellers. */
    public boolean ownsContextsOrResellers(long resellerId) {
        return TenantContext.count("resellerId", resellerId) > 0 || Reseller.count("parentId", resellerId) > 0;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(Reseller r) {
        r.persistAndFlush();
    }

    /** Deletes the reseller and its tenant credentials. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(Reseller r) {
        TenantCredential.deleteById(r.id);
        r.delete();
    }

    // ---- tenant credentials ----

    public Optional<TenantCredential> tenantCredential(long resellerId) {
        return TenantCredential.findByIdOptional(resellerId);
    }

    /** Whether another reseller's tenant credentials use this login. */
    public boolean tenantLoginTaken(String login, long exceptResellerId) {
        return TenantCredential.count("login = ?1 and resellerId <> ?2", login, exceptResellerId) > 0;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(TenantCredential t) {
        t.persistAndFlush();
    }

    // ---- contexts ----

    public Optional<TenantContext> context(long id) {
        return TenantContext.findByIdOptional(id);
    }

    /** Whether a context other than {@code exceptId} (-1 for none) has this name. */
    public boolean contextNameTaken(String name, long exceptId) {
        return TenantContext.count("name = ?1 and id <> ?2", name, exceptId) > 0;
    }

    /** All contexts ({@code resellerIds == null}) or those of these resellers, by id. */
    public List<TenantContext> contexts(List<Long> resellerIds, Paging paging) {
        var query = resellerIds == null
                ? TenantContext.<TenantContext>findAll(Sort.ascending("id"))
                : TenantContext.<TenantContext>find("resellerId in ?1", Sort.ascending("id"), resellerIds);
        return query.range(paging.offset(), paging.last()).list();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(TenantContext c) {
        c.persistAndFlush();
    }

    /** Deletes the context; the foreign keys take its users, aliases, groups, domains and sessions with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(TenantContext c) {
        em.detach(c);
        em.createNativeQuery("DELETE FROM contexts WHERE id = ?1").setParameter(1, c.id).executeUpdate();
    }

    /** The next number of the context id sequence (it may be taken by a context created with an explicit id). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long nextContextSequenceValue() {
        em.createNativeQuery("INSERT INTO context_id_seq () VALUES ()").executeUpdate();
        return ((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue();
    }

    // ---- usage ----

    /** How many contexts these resellers own. */
    public long contextsOf(List<Long> resellerIds) {
        return resellerIds.isEmpty() ? 0 : number(em.createNativeQuery("SELECT COUNT(*) FROM contexts WHERE reseller_id IN (?1)")
                .setParameter(1, resellerIds));
    }

    public long usersIn(long contextId) {
        return number(em.createNativeQuery("SELECT COUNT(*) FROM users WHERE context_id = ?1").setParameter(1, contextId));
    }

    /** The sum of the users' quotas in the context, in MB (a user without quota counts 0). */
    public long quotaIn(long contextId) {
        return number(em.createNativeQuery("SELECT COALESCE(SUM(quota_mb), 0) FROM users WHERE context_id = ?1")
                .setParameter(1, contextId));
    }

    /** How many users the contexts of these resellers hold. */
    public long usersOf(List<Long> resellerIds) {
        return resellerIds.isEmpty() ? 0 : number(em.createNativeQuery("SELECT COUNT(*) FROM users u"
                + " JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN (?1)").setParameter(1, resellerIds));
    }

    /** The sum of the users' quotas in the contexts of these resellers, in MB. */
    public long quotaOf(List<Long> resellerIds) {
        return resellerIds.isEmpty() ? 0 : number(em.createNativeQuery("SELECT COALESCE(SUM(u.quota_mb), 0) FROM users u"
                + " JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN (?1)").setParameter(1, resellerIds));
    }

    private static long number(jakarta.persistence.Query query) {
        return ((Number) query.getSingleResult()).longValue();
    }
}
