package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.ProblemMapper;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication and the tenant check, once per request, before any resource code runs:
 * anonymous → 401, a caller outside the endpoint's {@link Access} scheme → 403, the context its
 * {@link Access#context()} names on the path, when the caller may not see it (or it does not exist) → 404.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AccessFilter implements ContainerRequestFilter {
    @Context
    ResourceInfo resourceInfo;
    @Inject
    CurrentIdentityAssociation identities;
    @Inject
    RoutingContext routingContext;
    @Inject
    Caller caller;
    /** Looked up per request: JAX-RS providers are built at static init, before runtime settings exist. */
    @Inject
    jakarta.enterprise.inject.Instance<MailplaneConfig> config;

    /**
     * Each resource class's methods' rules, read from their annotations once: the {@link Access}, or
     * {@link #OPEN} for {@code @PermitAll}, {@link #UNDECLARED} for none.
     */
    private static final ClassValue<ConcurrentHashMap<Method, Object>> RULES = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Method, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private static final Object OPEN = new Object();
    private static final Object UNDECLARED = new Object();
    /** {@code mailplane.master.account-override}, read on the first request (runtime configuration does not change). */
    private volatile Boolean masterOverride;

    @Override
    public void filter(ContainerRequestContext request) {
        caller.setRequestId(request.getHeaderString(ProblemMapper.REQUEST_ID));
        Method method = resourceInfo.getResourceMethod();
        if (method == null) {
            return;
        }
        Class<?> type = resourceInfo.getResourceClass();
        Object rule = RULES.get(type).computeIfAbsent(method, m -> rule(m, type));
        if (rule == OPEN) {
            return;
        }
        if (rule == UNDECLARED) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This endpoint declares no access rule.");
        }
        Access access = (Access) rule;
        String pathContext = access.context().isEmpty() ? null : request.getUriInfo().getPathParameters().getFirst(access.context());
        routingContext.put(MailplaneAuthMechanism.PATH_CONTEXT, pathContext);
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Valid credentials are required.");
        }
        Boolean override = masterOverride;
        if (override == null) {
            masterOverride = override = config.get().master().accountOverride();
        }
        boolean masterOverride = override;
        Account account = Identities.accounts(identity).stream()
                .filter(a -> access.value().admits(a.realm(), masterOverride))
                .findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.FORBIDDEN, "These credentials may not call this endpoint."));
        caller.set(account);
        if (pathContext != null) {
            caller.setContext(caller.visibleContext(pathContext));
        }
    }

    private static Object rule(Method method, Class<?> type) {
        if (method.isAnnotationPresent(PermitAll.class) || type.isAnnotationPresent(PermitAll.class)) {
            return OPEN;
        }
        Access access = method.isAnnotationPresent(Access.class) ? method.getAnnotation(Access.class) : type.getAnnotation(Access.class);
        return access == null ? UNDECLARED : access;
    }
}
