package io.mailplane.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.StaleStateException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the HTTP layer into an {@code application/problem+json}
 * response. Statuses come only from {@link ErrorCode}; details never contain class names,
 * SQL or stack traces.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final String REQUEST_ID = "X-Request-Id";

    @Inject
    RouteTable routes;
    @Inject
    RoutingContext routingContext;

    /** Unique-key names (as MySQL/MariaDB report them) and the conflict they mean. */
    private static final Map<String, ErrorCode> UNIQUE_KEYS = Map.ofEntries(
            Map.entry("uk_resellers_name", ErrorCode.RESELLER_EXISTS),
            Map.entry("uk_resellers_brand", ErrorCode.BRAND_EXISTS),
            Map.entry("uk_tenant_credentials_login", ErrorCode.TENANT_LOGIN_EXISTS),
            Map.entry("uk_contexts_name", ErrorCode.CONTEXT_EXISTS),
            Map.entry("contexts.PRIMARY", ErrorCode.CONTEXT_EXISTS),
            Map.entry("uk_users_uidname", ErrorCode.USER_EXISTS),
            Map.entry("uk_users_context_user", ErrorCode.USER_EXISTS),
            Map.entry("uk_users_primary_email", ErrorCode.ADDRESS_EXISTS),
            Map.entry("uk_user_aliases_address", ErrorCode.ADDRESS_EXISTS),
            Map.entry("uk_groups_context_name", ErrorCode.GROUP_EXISTS),
            Map.entry("uk_groups_context_group", ErrorCode.GROUP_EXISTS),
            Map.entry("mail_domains.PRIMARY", ErrorCode.DOMAIN_EXISTS),
            Map.entry("mail_addresses.PRIMARY", ErrorCode.ADDRESS_EXISTS),
            Map.entry("uk_forwards_alias", ErrorCode.ALIAS_EXISTS),
            Map.entry("uk_mailboxes_user", ErrorCode.MAILBOX_EXISTS),
            Map.entry("uk_mailboxes_alias", ErrorCode.MAILBOX_ALIAS_EXISTS));

    /**
     * Every failure, including those RESTEasy and Quarkus would otherwise map with their own
     * mappers (each more specific type is named so that this one wins over theirs).
     */
    @ServerExceptionMapper({Throwable.class, WebApplicationException.class, JsonProcessingException.class, MismatchedInputException.class, ValidationException.class, ConstraintViolationException.class, AuthenticationFailedException.class, UnauthorizedException.class})
    public Response map(Throwable e, HttpHeaders headers, UriInfo uri) {
        return toResponse(e, headers, uri);
    }

    Response toResponse(Throwable e, HttpHeaders headers, UriInfo uri) {
        ApiException api = classify(e);
        String requestId = headers == null ? null : headers.getHeaderString(REQUEST_ID);
        if (api.code.status >= 500 && api.retryAfterSeconds != null) {
            // an overload refusal the client may retry (full pool, full bulkhead): expected under load, no stack trace
            LOG.warnf("request refused (%s): %s", api.code, api.getMessage());
        } else if (api.code.status >= 500) {
            LOG.errorf(e, "request failed (%s)", api.code);
        }
        Response.ResponseBuilder response = Response.status(api.code.status);
        if (Onlyoffice.applies(uri == null ? null : uri.getPath())) {
            response.type(Onlyoffice.negotiate(headers)).entity(Onlyoffice.Envelope.error(api));
        } else {
            response.type(Problem.MEDIA_TYPE).entity(Problem.of(api.code, api.getMessage(), requestId, api.errors, api.details));
        }
        if (api.code == ErrorCode.UNAUTHENTICATED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Mailplane\", charset=\"UTF-8\"");
        }
        if (api.retryAfterSeconds != null) {
            response.header(HttpHeaders.RETRY_AFTER, api.retryAfterSeconds);
        }
        // ---- HTTP layer: every 405 names the methods the path allows (the REST layer sets no Allow) ----
        if (api.code == ErrorCode.METHOD_NOT_ALLOWED) {
            allow(response, e);
        }
        // ---- end HTTP layer ----
        return response.build();
    }

    /** {@code Allow} for a 405: the path's methods from the route table, without the refused one. */
    private void allow(Response.ResponseBuilder response, Throwable e) {
        String allow = e instanceof WebApplicationException wae ? wae.getResponse().getHeaderString(HttpHeaders.ALLOW) : null;
        if (routes != null && routingContext != null) {
            String method = routingContext.request().method().name();
            allow = routes.match(routingContext.normalizedPath()).map(m -> m.allowHeaderWithout(method)).orElse(allow);
        }
        if (allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
    }

    static ApiException classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            ApiException known = classifyOne(t);
            if (known != null) {
                return known;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new ApiException(ErrorCode.INTERNAL_ERROR, "The request could not be completed.");
    }

    private static ApiException classifyOne(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof SecretBox.SecretUnavailable unavailable) {
            return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, unavailable.getMessage());
        }
        if (t instanceof JsonMappingException jme && jme.getCause() instanceof ApiException api) {
            return api;
        }
        if (t instanceof ConstraintViolationException cve) {
            List<Problem.FieldError> errors = cve.getConstraintViolations().stream()
                    .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                    .distinct()
                    .toList();
            String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
            return new ApiException(ErrorCode.VALIDATION_FAILED, detail, errors);
        }
        if (t instanceof ValidationException) {
            return new ApiException(ErrorCode.VALIDATION_FAILED, "The request is invalid.");
        }
        if (t instanceof UnrecognizedPropertyException upe) {
            String field = jsonPath(upe);
            return new ApiException(ErrorCode.UNKNOWN_FIELD, "Unknown field '" + field + "'.",
                    List.of(new Problem.FieldError(field, "unknown field")));
        }
        if (t instanceof MismatchedInputException mie) {
            String field = jsonPath(mie);
            if (field.isEmpty()) {
                return new ApiException(ErrorCode.INVALID_TYPE, "The request body has the wrong shape.");
            }
            return new ApiException(ErrorCode.INVALID_TYPE, "Field '" + field + "' has the wrong type.",
                    List.of(new Problem.FieldError(field, "wrong type")));
        }
        if (t instanceof JsonMappingException jme && !jme.getPath().isEmpty() && jme.getCause() instanceof IllegalArgumentException iae
                && iae.getMessage() != null && iae.getMessage().startsWith("must ")) {
            String field = jsonPath(jme);
            return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + iae.getMessage(),
                    List.of(new Problem.FieldError(field, iae.getMessage())));
        }
        if (t instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            String field = jsonPath(jme);
            return new ApiException(ErrorCode.INVALID_TYPE, "Field '" + field + "' has an invalid value.",
                    List.of(new Problem.FieldError(field, "invalid value")));
        }
        if (t instanceof JsonProcessingException) {
            return new ApiException(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON.");
        }
        if (t instanceof AuthenticationFailedException || t instanceof UnauthorizedException) {
            return new ApiException(ErrorCode.UNAUTHENTICATED, "Valid credentials are required.");
        }
        if (t instanceof io.quarkus.security.ForbiddenException) {
            return new ApiException(ErrorCode.FORBIDDEN, "The caller may not do this.");
        }
        if (t instanceof org.hibernate.exception.ConstraintViolationException dbc) {
            return conflict(dbc);
        }
        if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
            return new ApiException(ErrorCode.CONCURRENT_MODIFICATION, "The resource was changed concurrently; reload and retry.");
        }
        if (t instanceof PessimisticLockException || t instanceof LockAcquisitionException) {
            return new ApiException(ErrorCode.CONCURRENT_MODIFICATION, "The resource is busy; retry.");
        }
        // ---- database connection pool exhausted (mail accounts hardening) ----
        if (t instanceof java.sql.SQLException sql && isPoolAcquisitionTimeout(sql)) {
            return ApiException.retryLater(ErrorCode.SERVICE_UNAVAILABLE, "The service is busy; retry shortly.", POOL_RETRY_AFTER_SECONDS);
        }
        if (t instanceof WebApplicationException wae) {
            if (wae.getCause() != null && wae.getCause() != wae) {
                ApiException inner = classify(wae.getCause());
                if (inner.code != ErrorCode.INTERNAL_ERROR) {
                    return inner;
                }
            }
            int status = wae.getResponse().getStatus();
            ErrorCode code = ErrorCode.forStatus(status);
            return new ApiException(code, status == 404 ? "No resource at this path." : code.title + ".");
        }
        return null;
    }

    /** {@code Retry-After} when no database connection could be had in time. */
    static final long POOL_RETRY_AFTER_SECONDS = 2;

    /**
     * Agroal's refusal when no pooled connection frees up (or none can be opened) within the
     * acquisition timeout: a plain {@link java.sql.SQLException} without SQL state or subclass,
     * recognisable only by its message ("Sorry, acquisition timeout!" when every connection is
     * in use, "Acquisition timeout while waiting for new connection" when opening one takes too
     * long). Hibernate wraps it as {@code GenericJDBCException: Unable to acquire JDBC Connection}.
     */
    static boolean isPoolAcquisitionTimeout(java.sql.SQLException e) {
        String message = e.getMessage();
        return e.getSQLState() == null && message != null
                && (message.startsWith("Sorry, acquisition timeout") || message.startsWith("Acquisition timeout while waiting for new connection"));
    }
    // ---- end of pool exhaustion ----

    private static ApiException conflict(org.hibernate.exception.ConstraintViolationException e) {
        String key = e.getConstraintName() == null ? "" : e.getConstraintName();
        String message = e.getSQLException() == null ? "" : String.valueOf(e.getSQLException().getMessage());
        if (e.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.FOREIGN_KEY
                || message.contains("foreign key constraint")) {
            return new ApiException(ErrorCode.CONFLICT, "The resource is still referenced.");
        }
        for (Map.Entry<String, ErrorCode> entry : UNIQUE_KEYS.entrySet()) {
            if (key.endsWith(entry.getKey()) || message.contains("'" + entry.getKey() + "'")
                    || message.contains("." + entry.getKey() + "'")) {
                return new ApiException(entry.getValue(), entry.getValue().title + ".");
            }
        }
        return new ApiException(ErrorCode.CONFLICT, "The request conflicts with an existing resource.");
    }

    private static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** "create.body.primaryEmail" → "primaryEmail"; method and parameter names are not API. */
    private static String fieldOf(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        if (parts.length == 3) {
            return parts[2];
        }
        return parts.length == 2 ? parts[1] : path;
    }
}
