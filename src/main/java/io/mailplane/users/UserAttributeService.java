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
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the Cloud-Plugins attributes. Each write locks the user's row and changes
 * only its own column (or rows), so concurrent writes of different attributes all survive;
 * each bumps the user's version, so ETags move on.
 */
@ApplicationScoped
@Transactional
public class UserAttributeService {
    private final EntityManager em;
    private final RowLocks locks;
    private final AuditLog audit;
    private final Invalidations invalidations;
    private final Set<String> allowedClassesOfService;
    private final LoginClaims logins;

    public UserAttributeService(EntityManager em, RowLocks locks, AuditLog audit, Invalidations invalidations,
                                MailplaneConfig config,
                                LoginClaims logins) {
        this.em = em;
        this.locks = locks;
        this.audit = audit;
        this.invalidations = invalidations;
        this.allowedClassesOfService = Set.copyOf(config.classOfService().allowed());
        this.logins = logins;
    }

    /** Every set attribute of the user; empty when the context has no such user. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UserSummary> read(TenantContext context, int userId) {
        return MailUser.inContext(context.id, userId).map(UserSummary::full);
    }

    /** Sets one attribute; the answer names the user and the attribute's new value. */
    public Optional<UserSummary> set(TenantContext context, int userId, Attribute attribute, Object value) {
        if (attribute == Attribute.CLASSOFSERVICE) {
            checkClassesOfService(asList(value));
        }
        return locks.user(context.id, userId).map(pk -> {
            write(context, pk, attribute, value);
            return UserSummary.with(reload(pk), attribute);
        });
    }

    /** Removes one attribute; the answer names the user. */
    public Optional<UserSummary> clear(TenantContext context, int userId, Attribute attribute) {
        return locks.user(context.id, userId).map(pk -> {
            write(context, pk, attribute, null);
            return UserSummary.of(reload(pk));
        });
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
        return locks.user(context.id, userId).map(pk -> {
            if (in.msisdn() != null) {
                write(context, pk, Attribute.MSISDN, msisdn);
            }
            if (in.oxdeliverystatus() != null) {
                write(context, pk, Attribute.OXDELIVERYSTATUS, status);
            }
            if (custom != null) {
                write(context, pk, Attribute.CUSTOM, custom.isEmpty() ? null : custom);
            }
            MailUser u = reload(pk);
            UserSummary all = UserSummary.full(u);
            return new UserSummary(u.contextId, u.userId, u.uidname, in.msisdn() != null ? all.msisdn() : null, null,
                    in.oxdeliverystatus() != null ? all.oxdeliverystatus() : null, null, null, null, null, null,
                    in.custom() != null ? all.custom() : null);
        });
    }

    /** Writes (or with {@code null}, removes) one attribute of the locked user {@code pk}. */
    private void write(TenantContext context, long pk, Attribute attribute, Object value) {
        switch (attribute) {
            case CUSTOM -> replaceRows("user_custom_ids", "custom_id", pk, asList(value));
            case CLASSOFSERVICE -> replaceRows("user_class_of_service", "cos", pk, asList(value));
            case MSISDN -> em.createNativeQuery("UPDATE users SET msisdn = ?1, msisdn_digits = ?2 WHERE pk = ?3")
                    .setParameter(1, value)
                    .setParameter(2, value == null ? null : Msisdn.Validator.digits((String) value))
                    .setParameter(3, pk)
                    .executeUpdate();
            case UIDNAME -> {
                if (((Number) em.createNativeQuery("SELECT COUNT(*) FROM users WHERE uidname = ?1 AND pk <> ?2")
                        .setParameter(1, value).setParameter(2, pk).getSingleResult()).longValue() > 0) {
                    throw new ApiException(ErrorCode.USER_EXISTS, "A user with login '" + value + "' exists.");
                }
                updateColumn(attribute, pk, value);
                // The new login is claimed (the old one released) as on creation: 409 USER_EXISTS when an admin realm has it.
                logins.claimForUser((String) value, pk);
            }
            default -> updateColumn(attribute, pk, value);
        }
        em.createNativeQuery("UPDATE users SET version = version + 1 WHERE pk = ?1").setParameter(1, pk).executeUpdate();
        Object[] row = (Object[]) em.createNativeQuery("SELECT user_id, uidname FROM users WHERE pk = ?1")
                .setParameter(1, pk).getSingleResult();
        int userId = ((Number) row[0]).intValue();
        if (attribute == Attribute.UIDNAME) {
            invalidations.changed(CredentialKeys.user(context.id, userId));
        }
        audit.record(value == null ? "user.attribute.delete" : "user.attribute.set",
                attribute.wireName() + " of user " + userId + " (" + row[1] + ") in context " + context.id,
                context.resellerId, context.id);
    }

    private void updateColumn(Attribute attribute, long pk, Object value) {
        // The column name comes from the Attribute enum, never from the request.
        em.createNativeQuery("UPDATE users SET " + attribute.column + " = ?1 WHERE pk = ?2")
                .setParameter(1, value).setParameter(2, pk).executeUpdate();
    }

    private void replaceRows(String table, String column, long pk, List<String> values) {
        em.createNativeQuery("DELETE FROM " + table + " WHERE user_pk = ?1").setParameter(1, pk).executeUpdate();
        for (String v : new LinkedHashSet<>(values)) {
            em.createNativeQuery("INSERT IGNORE INTO " + table + " (user_pk, " + column + ") VALUES (?1, ?2)")
                    .setParameter(1, pk).setParameter(2, v).executeUpdate();
        }
    }

    private MailUser reload(long pk) {
        em.flush();
        em.clear();
        return em.find(MailUser.class, pk);
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
