package io.mailplane.sessions;

import io.mailplane.audit.AuditLog;
import io.mailplane.directory.TenantContext;
import io.mailplane.security.Sessions;
import io.mailplane.security.Sessions.ClosedSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Closing sessions as an admin: the sessions end and the audit log says so, in one transaction. */
@ApplicationScoped
@Transactional
public class SessionAdminService {
    private final Sessions sessions;
    private final AuditLog audit;

    public SessionAdminService(Sessions sessions, AuditLog audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Closes the open sessions of a context, or of one user of it ({@code userPk}), and says which. */
    public List<ClosedSession> close(TenantContext context, Long userPk) {
        List<ClosedSession> closed = sessions.close(context, userPk);
        if (!closed.isEmpty()) {
            audit.record("sessions.close", closed.size() + " session(s) in context " + context.id
                    + (userPk == null ? "" : " of user " + closed.get(0).uidname()), context.resellerId, context.id);
        }
        return closed;
    }
}
