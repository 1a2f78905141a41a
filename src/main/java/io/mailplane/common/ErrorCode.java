package io.mailplane.common;

/**
 * Every machine-readable error code of the API and the HTTP status it maps to. This enum is
 * the one table from domain errors to HTTP statuses; {@link ProblemMapper} consults nothing else.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400, "Validation failed"),
    MALFORMED_JSON(400, "Malformed JSON"),
    UNKNOWN_FIELD(400, "Unknown field"),
    INVALID_TYPE(400, "Wrong type"),
    INVALID_ID(400, "Invalid id"),
    BAD_REQUEST(400, "Bad request"),
    MAIL_VERIFICATION_FAILED(400, "Mail server verification failed"),
    UNAUTHENTICATED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    LIMIT_EXCEEDED(409, "Restriction exceeded"),
    NOT_FOUND(404, "Not found"),
    RESELLER_NOT_FOUND(404, "Reseller does not exist"),
    CONTEXT_NOT_FOUND(404, "Context does not exist"),
    USER_NOT_FOUND(404, "User does not exist"),
    GROUP_NOT_FOUND(404, "Group does not exist"),
    ATTRIBUTE_NOT_SET(404, "Attribute not set"),
    DOMAIN_NOT_FOUND(404, "Domain does not exist"),
    FORWARD_NOT_FOUND(404, "Forwarding alias does not exist"),
    RECIPIENT_NOT_FOUND(404, "Recipient does not exist"),
    ENTRY_NOT_FOUND(404, "List entry does not exist"),
    MAIL_ACCOUNT_NOT_FOUND(404, "Mail account does not exist"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    RESELLER_EXISTS(409, "Reseller exists"),
    BRAND_EXISTS(409, "Brand exists"),
    TENANT_LOGIN_EXISTS(409, "Tenant login exists"),
    CONTEXT_EXISTS(409, "Context exists"),
    USER_EXISTS(409, "User exists"),
    ADDRESS_EXISTS(409, "Address in use"),
    GROUP_EXISTS(409, "Group exists"),
    DOMAIN_EXISTS(409, "Domain has an owner"),
    DOMAIN_IN_USE(409, "Domain in use"),
    ALIAS_EXISTS(409, "Alias in use"),
    RESELLER_IN_USE(409, "Reseller still owns contexts or sub-resellers"),
    CONCURRENT_MODIFICATION(409, "Concurrent modification"),
    // announcements
    ANNOUNCEMENT_NOT_FOUND(404, "Announcement does not exist"),
    ANNOUNCEMENT_NOT_DISCARDABLE(409, "Announcement cannot be dismissed"),
    PRECONDITION_FAILED(412, "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    URI_TOO_LONG(414, "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    INTERNAL_ERROR(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    // notifications (issue 12)
    NO_PRIMARY_ADDRESS(409, "User has no primary mail address"),
    OUTBOX_ENTRY_NOT_FOUND(404, "Outbox entry does not exist"),
    OUTBOX_ENTRY_STATE(409, "Outbox entry is not in a state that allows this"),
    // mail statistics over IMAP (issue 13)
    MAIL_SERVER_UNAVAILABLE(502, "Mail server unavailable"),
    MAIL_SERVER_ERROR(502, "Mail server failed"),
    MAIL_SERVER_TIMEOUT(504, "Mail server did not answer in time"),
    // mailboxes (issue 14)
    MAILBOX_NOT_FOUND(404, "Mailbox does not exist"),
    MAILBOX_EXISTS(409, "User already has a mailbox"),
    MAILBOX_ALIAS_EXISTS(409, "Mailbox alias in use"),
    // secondary accounts (issue 15)
    SECONDARY_ACCOUNT_NOT_FOUND(404, "Secondary account does not exist"),
    PRIMARY_SERVER_NOT_CONFIGURED(400, "Primary mail server not configured"),
    // shared accounts (issue 15, part 2)
    SHARED_ACCOUNT_NOT_FOUND(404, "Shared account does not exist"),
    DELEGATE_NOT_FOUND(404, "Delegation does not exist"),
    SHARED_ACCOUNT_OWNER(409, "User owns shared accounts"),
    SHARED_ACCOUNT_USER(409, "User is a shared account"),
    // multi-factor sign-in (issue 15): only after the password verified
    ONE_TIME_CODE_REQUIRED(401, "One-time code required"),
    ONE_TIME_CODE_INVALID(401, "One-time code refused");

    public final int status;
    public final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The generic code for a status that the HTTP layer (not our code) decided on. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
