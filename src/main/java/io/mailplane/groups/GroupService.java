package io.mailplane.groups;

import io.mailplane.common.ExpectedVersion;
import io.mailplane.audit.AuditLog;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Paging;
import io.mailplane.common.RowLocks;
import io.mailplane.common.Versions;
import io.mailplane.groups.GroupDtos.CreateGroup;
import io.mailplane.groups.GroupDtos.GroupView;
import io.mailplane.groups.GroupDtos.UpdateGroup;
import io.mailplane.directory.TenantContext;
import io.mailplane.directory.MailUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@ApplicationScoped
@Transactional
public class GroupService {
    private final GroupRepository repository;
    private final AuditLog audit;
    private final RowLocks locks;

    public GroupService(GroupRepository repository, AuditLog audit, RowLocks locks) {
        this.repository = repository;
        this.audit = audit;
        this.locks = locks;
    }

    public GroupView create(TenantContext context, CreateGroup in) {
        locks.context(context.id);
        checkNameFree(context.id, in.name(), -1);
        MailGroup g = new MailGroup();
        g.contextId = context.id;
        g.groupId = repository.nextGroupId(context.id);
        g.name = in.name();
        g.displayName = in.displayName() == null ? in.name() : in.displayName();
        g.members = members(context.id, in.members());
        repository.save(g);
        audit.record("group.create", describe(g), context.resellerId, context.id);
        return GroupView.of(g);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<GroupView> find(TenantContext context, int groupId) {
        return repository.inContext(context.id, groupId).map(GroupView::of);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<GroupView> list(TenantContext context, Paging paging) {
        return repository.page(context.id, paging).stream().map(GroupView::of).toList();
    }

    /** Writers of one group are serialised on its row: without If-Match the last one wins. */
    public Optional<GroupView> update(TenantContext context, int groupId, UpdateGroup in, ExpectedVersion expected) {
        return lockedGroup(context, groupId).map(g -> {
            expected.check(g.version);
            if (in.name() != null && !in.name().equals(g.name)) {
                checkNameFree(context.id, in.name(), g.pk);
                g.name = in.name();
            }
            if (in.displayName() != null) {
                g.displayName = in.displayName();
            }
            if (in.members() != null) {
                g.members.clear();
                g.members.addAll(members(context.id, in.members()));
            }
            repository.save(g);
            audit.record("group.update", describe(g), context.resellerId, context.id);
            return GroupView.of(g);
        });
    }

    public boolean delete(TenantContext context, int groupId, ExpectedVersion expected) {
        return lockedGroup(context, groupId).map(g -> {
            expected.check(g.version);
            repository.delete(g);
            audit.record("group.delete", describe(g), context.resellerId, context.id);
            return true;
        }).orElse(false);
    }

    private Optional<MailGroup> lockedGroup(TenantContext context, int groupId) {
        return locks.group(context.id, groupId).flatMap(pk -> repository.inContext(context.id, groupId));
    }

    private void checkNameFree(long contextId, String name, long exceptPk) {
        if (repository.nameTaken(contextId, name, exceptPk)) {
            throw new ApiException(ErrorCode.GROUP_EXISTS, "A group named '" + name + "' exists in this context.");
        }
    }

    /** The users of the context with these ids; an id that is no user of the context is a 400. */
    private Set<MailUser> members(long contextId, List<Integer> userIds) {
        if (userIds == null || userIds.isEmpty()) {
            return new HashSet<>();
        }
        Set<Integer> wanted = new HashSet<>(userIds);
        List<MailUser> found = repository.usersOfContext(contextId, wanted);
        if (found.size() != wanted.size()) {
            Set<Integer> missing = new HashSet<>(wanted);
            found.forEach(u -> missing.remove(u.userId));
            throw ApiException.invalid("members", "no such users in this context: " + missing.stream().sorted().toList());
        }
        return new HashSet<>(found);
    }

    private static String describe(MailGroup g) {
        return "group " + g.groupId + " (" + g.name + ") in context " + g.contextId;
    }
}
