package io.mailplane.audit;

import io.mailplane.common.Paging;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/oxaas/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {
    private final AuditLog auditLog;
    private final Caller caller;

    public AuditResource(AuditLog auditLog, Caller caller) {
        this.auditLog = auditLog;
        this.caller = caller;
    }

    public record AuditView(long id, Instant at, String actor, String realm, String action, String target,
                            Long resellerId, Long contextId, String requestId) {
        static AuditView of(AuditEntry e) {
            return new AuditView(e.id, e.at, e.actor, e.realm, e.action, e.target, e.resellerId, e.contextId, e.requestId);
        }
    }

    @GET
    @Access(Scheme.PROVISIONING)
    @SecurityRequirement(name = "resellerAdminAuth")
    @Operation(operationId = "listAuditEntries", summary = "Read the audit log", description = "Newest first. The master admin reads every entry; a reseller the entries of its own brand tree.")
    public List<AuditView> list(@Valid @BeanParam Paging paging) {
        Long scope = caller.treeRoot();
        return auditLog.list(scope, paging).stream().map(AuditView::of).toList();
    }
}
