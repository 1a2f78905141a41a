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
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

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
        ConcurrentHashMap<Method, Object> rules = RULES.get(type);
        Object rule = rules.get(method);
        if (rule == null) {
            rule = rules.computeIfAbsent(method, m -> rule(m, type));
        }
        if (rule == OPEN) {
            return;
        }
        if (rule == UNDECLARED) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This endpoint declares no access rule.");
        }
        Access access = (Access) rule;
        String pathContext = access.context().isEmpty() ? null : pathParameter(request, access.context());
        routingContext.put(MailplaneAuthMechanism.PATH_CONTEXT, pathContext);
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Valid credentials are required.");
        }
        Boolean override = masterOverride;
        if (override == null) {
            masterOverride = override = config.get().master().accountOverride();
        }
        Account account = admitted(Identities.accounts(identity), access.value(), override);
        if (account == null) {
            throw new ApiException(ErrorCode.FORBIDDEN, "These credentials may not call this endpoint.");
        }
        caller.set(account);
        if (pathContext != null) {
            caller.setContext(caller.visibleContext(pathContext));
        }
    }

    /** The first of the caller's accounts that {@code scheme} admits, or {@code null}. */
    private static Account admitted(List<Account> accounts, Scheme scheme, boolean masterOverride) {
        for (int i = 0; i < accounts.size(); i++) {
            Account account = accounts.get(i);
            if (scheme.admits(account.realm(), masterOverride)) {
                return account;
            }
        }
        return null;
    }

    /**
     * The decoded path parameter {@code name}: from the REST layer's own request context, which reads
     * it in place, else from {@link jakarta.ws.rs.core.UriInfo}, which copies every parameter into a map.
     */
    private static String pathParameter(ContainerRequestContext request, String name) {
        if (request instanceof ResteasyReactiveContainerRequestContext reactive
                && reactive.getServerRequestContext() instanceof ResteasyReactiveRequestContext context) {
            return context.getPathParameter(name, false);
        }
        return request.getUriInfo().getPathParameters().getFirst(name);
    }

    private static Object rule(Method method, Class<?> type) {
        if (method.isAnnotationPresent(PermitAll.class) || type.isAnnotationPresent(PermitAll.class)) {
            return OPEN;
        }
        Access access = method.isAnnotationPresent(Access.class) ? method.getAnnotation(Access.class) : type.getAnnotation(Access.class);
        return access == null ? UNDECLARED : access;
    }
}
