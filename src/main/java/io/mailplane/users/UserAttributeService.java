package io.mailplane.users;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.MailUser;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.RowLocks;
import io.mailplane.common.constraints.Msisdn;
import io.mailplane.common.constraints.Patterns;
import io.mailplane.common.Invalidations;
import io.mailplane.directory.CredentialKeys;
import io.mailplane.directory.LoginClaims;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the Cloud-Plugins attributes. Each write locks the user's row and changes
 * only its own column (or rows), so concurrent writes of different attributes all survive;
 * each request that writes bumps the user's version once ({@link RowLocks#bumpVersion}),
 * so ETags move on.
 */
@ApplicationScoped
@Transactional
public class UserAttributeService {
    private final UserRepository users;
    private final RowLocks locks;
    private final AuditLog audit;
    private final Invalidations invalidations;
    private final Set<String> allowedClassesOfService;
    private final LoginClaims logins;

    public UserAttributeService(UserRepository users, RowLocks locks, AuditLog audit, Invalidations invalidations,
                                MailplaneConfig config,
                                LoginClaims logins) {
        this.users = users;
        this.locks = locks;
        this.audit = audit;
        this.invalidations = invalidations;
        this.allowedClassesOfService = Set.copyOf(config.classOfService().allowed());
        this.logins = logins;
    }

    /** Every set attribute of the user; empty when the context has no such user. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UserSummary> read(TenantContext context, int userId) {
        return users.load(context.id, userId).map(UserSummary::full);
    }

    /** Sets one attribute; the answer names the user and the attribute's new value. */
    public Optional<UserSummary> set(TenantContext context, int userId, Attribute attribute, Object value) {
        if (attribute == Attribute.CLASSOFSERVICE) {
            checkClassesOfService(asList(value));
        }
        Map<Attribute, Object> writes = new LinkedHashMap<>();
        writes.put(attribute, value);
        return locks.user(context.id, userId).map(pk -> UserSummary.with(apply(context, pk, writes), attribute));
    }

    /** Removes one attribute; the answer names the user. */
    public Optional<UserSummary> clear(TenantContext context, int userId, Attribute attribute) {
        Map<Attribute, Object> writes = new LinkedHashMap<>();
        writes.put(attribute, null);
        return locks.user(context.id, userId).map(pk -> UserSummary.of(apply(context, pk, writes)));
    }

    /** {@code POST .../users/{userid}}: msisdn, oxdeliverystatus and custom at once; empty values remove. */
    public Optional<UserSummary> change(TenantContext context, int userId, AttributeDtos.Change in) {
        if (in.msisdn() == null && in.oxdeliverystatus() == null && in.custom() == null) {
            throw ApiException.invalid("body", "name at least one of msisdn, oxdeliverystatus, custom");
        }
        String msisdn = emptyToNull(in.msisdn());
        if (msisdn != null && !Msisdn.Validator.isMsisdn(msisdn)) {
            throw ApiException.invalid("msisdn", "must be + and 8-15 digits, optionally separated by '.', '-' or spaces");
        }
        String status = emptyToNull(in.oxdeliverystatus());
        if (status != null && !status.matches(Patterns.ATTRIBUTE_TEXT)) {
            throw ApiException.invalid("oxdeliverystatus", "must be 1-64 characters of letters, digits and . _ : @ + / = -");
        }
        List<String> custom = in.custom() == null ? null : in.custom().stream().filter(c -> !c.isEmpty()).toList();
        if (custom != null && custom.stream().anyMatch(c -> !c.matches(Patterns.LONG_ATTRIBUTE_TEXT))) {
            throw ApiException.invalid("custom", "custom ids must be 1-128 characters of letters, digits and . _ : @ + / = -");
        }
        Map<Attribute, Object> writes = new LinkedHashMap<>();
        if (in.msisdn() != null) {
            writes.put(Attribute.MSISDN, msisdn);
        }
        if (in.oxdeliverystatus() != null) {
            writes.put(Attribute.OXDELIVERYSTATUS, status);
        }
        if (custom != null) {
            writes.put(Attribute.CUSTOM, custom.isEmpty() ? null : custom);
        }
        return locks.user(context.id, userId).map(pk -> {
            MailUser u = apply(context, pk, writes);
            UserSummary all = UserSummary.full(u);
            return new UserSummary(u.contextId, u.userId, u.uidname, in.msisdn() != null ? all.msisdn() : null, null,
                    in.oxdeliverystatus() != null ? all.oxdeliverystatus() : null, null, null, null, null, null,
                    in.custom() != null ? all.custom() : null);
        });
    }

    /**
     * Writes (a {@code null} value: removes) the attributes of the locked user {@code pk}, in
     * order, bumps its version once and records each; the user as stored now.
     */
    private MailUser apply(TenantContext context, long pk, Map<Attribute, Object> writes) {
        writes.forEach((attribute, value) -> write(pk, attribute, value));
        MailUser u = users.reload(pk);
        locks.bumpVersion(u);
        if (writes.containsKey(Attribute.UIDNAME)) {
            invalidations.changed(CredentialKeys.user(context.id, u.userId));
        }
        writes.forEach((attribute, value) -> audit.record(value == null ? "user.attribute.delete" : "user.attribute.set",
                attribute.wireName() + " of user " + u.userId + " (" + u.uidname + ") in context " + context.id,
                context.resellerId, context.id));
        return u;
    }

    private void write(long pk, Attribute attribute, Object value) {
        switch (attribute) {
            case CUSTOM -> users.replaceCustomIds(pk, asList(value));
            case CLASSOFSERVICE -> users.replaceClassesOfService(pk, asList(value));
            case MSISDN -> users.setMsisdn(pk, (String) value, value == null ? null : Msisdn.Validator.digits((String) value));
            case UIDNAME -> {
                if (users.uidnameTaken((String) value, pk)) {
                    throw new ApiException(ErrorCode.USER_EXISTS, "A user with login '" + value + "' exists.");
                }
                users.setColumn(attribute, pk, value);
                // The new login is claimed (the old one released) as on creation: 409 USER_EXISTS when an admin realm has it.
                logins.claimForUser((String) value, pk);
            }
            default -> users.setColumn(attribute, pk, value);
        }
    }

    private void checkClassesOfService(Collection<String> requested) {
        List<String> unknown = requested.stream().filter(c -> !allowedClassesOfService.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.invalid("classofservice", "unknown class(es) of service " + unknown
                    + "; allowed: " + allowedClassesOfService.stream().sorted().toList());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> asList(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
