package io.mailplane.groups;

import io.mailplane.common.Paging;
import io.mailplane.directory.MailUser;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of groups (tables {@code groups_} and {@code group_members}). Panache and JPQL on
 * {@link MailGroup}: a group is read, changed and written back as an entity, so its {@code @Version}
 * moves with every change and the member set is kept by the mapping. Writes and locks need the
 * service's transaction; reads join it or run without one. Row locks are {@code RowLocks}'.
 */
@ApplicationScoped
public class GroupRepository {
    private final EntityManager em;

    public GroupRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<MailGroup> inContext(long contextId, int groupId) {
        return MailGroup.<MailGroup>find("contextId = ?1 and groupId = ?2", contextId, groupId).firstResultOptional();
    }

    public List<MailGroup> page(long contextId, Paging paging) {
        return MailGroup.<MailGroup>find("contextId", Sort.ascending("groupId"), contextId)
                .range(paging.offset(), paging.last()).list();
    }

    /** The next free group id of the context (1 for the first); call with the context's row locked. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int nextGroupId(long contextId) {
        Integer max = em.createQuery("SELECT MAX(g.groupId) FROM MailGroup g WHERE g.contextId = ?1", Integer.class)
                .setParameter(1, contextId).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** Whether another group of the context ({@code exceptPk}: the one being renamed, or -1) has this name. */
    public boolean nameTaken(long contextId, String name, long exceptPk) {
        return MailGroup.count("contextId = ?1 and name = ?2 and pk <> ?3", contextId, name, exceptPk) > 0;
    }

    /** The users of the context with these ids (those that exist). */
    public List<MailUser> usersOfContext(long contextId, Collection<Integer> userIds) {
        return MailUser.list("contextId = ?1 and userId in ?2", contextId, userIds);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(MailGroup g) {
        g.persistAndFlush();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(MailGroup g) {
        g.delete();
    }
}
