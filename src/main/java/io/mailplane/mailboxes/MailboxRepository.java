package io.mailplane.mailboxes;

import io.mailplane.common.Paging;
import io.mailplane.directory.MailUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every query of the mailboxes feature: JPQL on {@link Mailbox} (so its {@code @Version} moves
 * with every change) and reads of the owning {@link MailUser}s, whose addresses and quota the
 * mailboxes show. Users are written only through the users feature. Writes need the service's
 * transaction; reads join it or run without one. Row locks are {@code RowLocks}'.
 */
@ApplicationScoped
public class MailboxRepository {
    private final EntityManager em;

    public MailboxRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<Mailbox> inContext(long contextId, long mailboxId) {
        return em.createQuery("from Mailbox m where m.contextId = ?1 and m.id = ?2", Mailbox.class)
                .setParameter(1, contextId).setParameter(2, mailboxId).getResultList().stream().findFirst();
    }

    public boolean userHasMailbox(long userPk) {
        return em.createQuery("select count(m) from Mailbox m where m.userPk = ?1", Long.class)
                .setParameter(1, userPk).getSingleResult() > 0;
    }

    /** Whether the user backs a shared account (V16), whose mail follows its type and is managed through /sharedaccounts. */
    public boolean isSharedAccount(long userPk) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM shared_accounts WHERE user_pk = ?1")
                .setParameter(1, userPk).getSingleResult()).longValue() > 0;
    }

    /** The mailboxes of the context in id order, one page. */
    public List<Mailbox> page(long contextId, Paging paging) {
        return em.createQuery("from Mailbox m where m.contextId = ?1 order by m.id", Mailbox.class)
                .setParameter(1, contextId).setFirstResult(paging.offset()).setMaxResults(paging.limit())
                .getResultList();
    }

    /** Whether a mailbox of the context other than {@code exceptId} (-1: any) has this alias (compared without case). */
    public boolean aliasTaken(long contextId, String alias, long exceptId) {
        return em.createQuery("select count(m) from Mailbox m where m.contextId = ?1 and m.alias = ?2 and m.id <> ?3", Long.class)
                .setParameter(1, contextId).setParameter(2, alias).setParameter(3, exceptId).getSingleResult() > 0;
    }

    /** Where a user is: its context and its id there. */
    public record UserRef(long contextId, int userId) {
    }

    /** The user with this login, wherever it is (logins are unique platform-wide, compared without case). */
    public Optional<UserRef> userByLogin(String login) {
        return em.createQuery("select u.contextId, u.userId from MailUser u where u.uidname = ?1", Object[].class)
                .setParameter(1, login).getResultList().stream().findFirst()
                .map(r -> new UserRef(((Number) r[0]).longValue(), ((Number) r[1]).intValue()));
    }

    public boolean loginExists(String login) {
        return em.createQuery("select count(u) from MailUser u where u.uidname = ?1", Long.class)
                .setParameter(1, login).getSingleResult() > 0;
    }

    /** The user with its aliases; empty when there is none. */
    public Optional<MailUser> user(long userPk) {
        return em.createQuery("from MailUser u left join fetch u.aliases where u.pk = ?1", MailUser.class)
                .setParameter(1, userPk).getResultList().stream().findFirst();
    }

    /** The users with these primary keys, with their aliases, by primary key (one query). */
    public Map<Long, MailUser> users(Collection<Long> userPks) {
        if (userPks.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select distinct u from MailUser u left join fetch u.aliases where u.pk in ?1", MailUser.class)
                .setParameter(1, userPks).getResultList().stream()
                .collect(Collectors.toMap(u -> u.pk, Function.identity()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(Mailbox m) {
        if (m.id == null) {
            em.persist(m);
        }
        em.flush();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(Mailbox m) {
        em.remove(m);
        em.flush();
    }
}
