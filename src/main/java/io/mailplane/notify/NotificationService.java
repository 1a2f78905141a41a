package io.mailplane.notify;

import io.mailplane.outbox.Outbox;
import io.mailplane.outbox.OutgoingMail;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Problem;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;
import io.mailplane.notify.TemplateRenderer.Parts;
import io.mailplane.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a notification mail to a user: finds the user the caller may see, renders the brand's
 * template in the user's language and queues the mail in the outbox, in one transaction; the mail
 * is sent after the commit by the outbox's worker. A user without a mailbox gets nothing (409).
 */
@ApplicationScoped
public class NotificationService {
    /** OX's {@code usercontext}: {@code userid@contextid}, the context also by name. */
    private static final Pattern USER_CONTEXT = Pattern.compile("([0-9]{1,10})@([A-Za-z0-9][A-Za-z0-9._-]{0,127})");

    private final NotificationRepository repository;
    private final TemplateService templates;
    private final TemplateRenderer renderer;
    private final ResellerTree tree;
    private final Caller caller;
    private final Outbox outbox;

    public NotificationService(NotificationRepository repository, TemplateService templates, TemplateRenderer renderer,
                               ResellerTree tree, Caller caller, Outbox outbox) {
        this.repository = repository;
        this.templates = templates;
        this.renderer = renderer;
        this.tree = tree;
        this.caller = caller;
        this.outbox = outbox;
    }

    /** What a request asks for: the user ({@code userid@context}) and the values only the caller knows. */
    public record Request(NotificationKind kind, String userContext, Long quotaThreshold, Long usage) {
    }

    /**
     * Queues the mail and answers it as rendered. 400 for a malformed usercontext; 404 when the
     * context or user does not exist or is outside the caller's brand tree; 409 NO_PRIMARY_ADDRESS
     * for a user without a mailbox (the context admin, user 2) — decided before anything is queued.
     */
    @Transactional
    public Parts send(Request request) {
        Matcher m = USER_CONTEXT.matcher(request.userContext() == null ? "" : request.userContext());
        if (!m.matches() || Long.parseLong(m.group(1)) > Integer.MAX_VALUE) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "usercontext must be userid@contextid (or userid@contextname).",
                    List.of(new Problem.FieldError("usercontext", "must be userid@contextid")));
        }
        int userId = Integer.parseInt(m.group(1));
        String contextRef = m.group(2);
        TenantContext context = caller.visibleContext(contextRef);
        if (userId == TenantContext.ADMIN_USER_ID) {
            throw noPrimaryAddress(request.userContext());
        }
        NotificationRepository.Recipient user = repository.recipient(context.id, userId)
                .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userId + " does not exist in context " + contextRef + "."));
        if (user.primaryEmail() == null || user.primaryEmail().isBlank()) {
            throw noPrimaryAddress(request.userContext());
        }
        // the lineage, the brands' templates and default locales are cached: no query once warm
        List<ResellerTree.Brand> lineage = tree.brands(context.resellerId);
        List<Long> brands = lineage.stream().map(ResellerTree.Brand::id).toList();
        // Users have no language of their own (yet): the brand's default locale is the user's.
        Parts mail = renderer.render(templates.forUser(request.kind(), brands).parts(), variables(request, user, lineage.get(0)));
        outbox.enqueue(new OutgoingMail(context.resellerId, context.id, user.userId(), request.kind().wire, user.primaryEmail(),
                null, mail.subject(), mail.text(), mail.html()));
        return mail;
    }

    private static Map<String, Object> variables(Request request, NotificationRepository.Recipient user, ResellerTree.Brand brand) {
        Map<String, Object> values = new HashMap<>();
        values.put("display_name", user.displayName());
        values.put("login", user.uidname());
        values.put("address", user.primaryEmail());
        values.put("quota", user.quotaMb());
        values.put("usage", request.usage());
        values.put("brand", brand.brand());
        values.put("brand_name", brand.displayName());
        values.put("quota_threshold", request.quotaThreshold());
        return values;
    }

    private static ApiException noPrimaryAddress(String userContext) {
        return new ApiException(ErrorCode.NO_PRIMARY_ADDRESS, userContext + " has no primary mail address");
    }
}
