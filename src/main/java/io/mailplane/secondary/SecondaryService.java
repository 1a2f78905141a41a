package io.mailplane.secondary;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.Paging;
import io.mailplane.common.Problem;
import io.mailplane.common.RowLocks;
import io.mailplane.common.SecretBox;
import io.mailplane.directory.TenantContext;
import io.mailplane.secondary.SecondaryAccount.Server;
import io.mailplane.secondary.SecondaryAccount.Targets;
import io.mailplane.secondary.SecondaryDtos.CreateSecondary;
import io.mailplane.secondary.SecondaryDtos.SecondaryEndpoint;
import io.mailplane.secondary.SecondaryDtos.SecondaryFolders;
import io.mailplane.secondary.SecondaryDtos.SecondaryGrant;
import io.mailplane.secondary.SecondaryDtos.SecondaryEntry;
import io.mailplane.secondary.SecondaryDtos.SecondaryUpdate;
import io.mailplane.secondary.SecondaryDtos.UpdateSecondary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * OX secondary mail accounts: granted to users and groups (resolved to their members when granted;
 * group 0 = every user of the context), one entry per holder. Every change is one transaction under
 * the context's row lock, all-or-nothing: an unknown user or group id changes nothing.
 */
@ApplicationScoped
@Transactional
public class SecondaryService {
    static final String PRIMARY = "primary";
    static final String LOCALHOST = "localhost";

    private final SecondaryRepository repository;
    private final RowLocks locks;
    private final AuditLog audit;
    private final SecretBox secrets;
    private final MailplaneConfig config;

    public SecondaryService(SecondaryRepository repository, RowLocks locks, AuditLog audit, SecretBox secrets, MailplaneConfig config) {
        this.repository = repository;
        this.locks = locks;
        this.audit = audit;
        this.secrets = secrets;
        this.config = config;
    }

    /** Grants the address to the users and groups; a holder's entry is updated. {@code granted} 0 = only updates. */
    public SecondaryGrant grant(TenantContext context, CreateSecondary in) {
        String address = Addresses.require("primaryAddress", in.primaryAddress());
        Targets targets = targets(in.users(), in.groups(), true);
        Server mail = in.mailEndpoint() == null ? null : resolve("mailEndpoint", in.mailEndpoint(), false);
        Server transport = in.transportEndpoint() == null ? null : resolve("transportEndpoint", in.transportEndpoint(), true);
        locks.context(context.id);
        checkTargets(context.id, targets);
        SecondaryAccount existing = repository.any(context.id, address).orElse(null);
        if (existing == null) {
            List<String> missing = new ArrayList<>();
            if (in.login() == null) {
                missing.add("login");
            }
            if (in.password() == null) {
                missing.add("password");
            }
            if (mail == null) {
                missing.add("mailEndpoint");
            }
            if (!missing.isEmpty()) {
                throw ApiException.invalid(missing.get(0), "is required for a new secondary account (missing: " + String.join(", ", missing) + ")");
            }
        }
        SecondaryAccount a = new SecondaryAccount(
                existing == null ? repository.nextAccountId(context.id) : existing.accountId(),
                pick(in.name(), existing == null ? address : existing.name()),
                pick(in.personal(), existing == null ? null : existing.personal()),
                pick(in.replyTo() == null ? null : Addresses.require("replyTo", in.replyTo()), existing == null ? null : existing.replyTo()),
                pick(in.login(), existing == null ? null : existing.login()),
                in.password() != null ? secrets.seal(in.password(), SecondaryAccount.secretContext(context.id, address)) : existing.secret(),
                pick(mail, existing == null ? null : existing.mail()),
                pick(transport, existing == null ? null : existing.transport()),
                pick(in.folders(), existing == null ? null : existing.folders()));
        int users = repository.countTargets(context.id, targets);
        int holders = repository.countHolders(context.id, address, targets);
        repository.grant(context.id, address, a, targets);
        audit.record("secondary.grant", "secondary account " + address + " in context " + context.id + ": "
                + (users - holders) + " granted, " + holders + " updated (" + describe(targets) + ")", context.resellerId, context.id);
        return new SecondaryGrant(address, a.accountId(), users - holders, holders);
    }

    /** Changes properties of the address's entries (of the given users/groups, else all); never adds or removes one. */
    public SecondaryUpdate update(TenantContext context, String rawAddress, UpdateSecondary in) {
        String address = address(rawAddress);
        boolean scoped = (in.users() != null && !in.users().isEmpty()) || (in.groups() != null && !in.groups().isEmpty());
        Targets targets = scoped ? targets(in.users(), in.groups(), false) : null;
        Map<String, Object> columns = new LinkedHashMap<>();
        if (in.name() != null) {
            columns.put("name", in.name());
        }
        if (in.personal() != null) {
            columns.put("personal", in.personal());
        }
        if (in.replyTo() != null) {
            columns.put("reply_to", Addresses.require("replyTo", in.replyTo()));
        }
        if (in.login() != null) {
            columns.put("login", in.login());
        }
        if (in.mailEndpoint() != null) {
            columns.putAll(SecondaryRepository.server("mail", resolve("mailEndpoint", in.mailEndpoint(), false)));
        }
        if (in.transportEndpoint() != null) {
            columns.putAll(SecondaryRepository.server("transport", resolve("transportEndpoint", in.transportEndpoint(), true)));
        }
        if (in.folders() != null) {
            columns.putAll(SecondaryRepository.folders(in.folders()));
        }
        locks.context(context.id);
        if (targets != null) {
            checkTargets(context.id, targets);
        }
        repository.any(context.id, address).orElseThrow(() -> notFound(address));
        if (in.password() != null) {
            columns.put("secret", secrets.seal(in.password(), SecondaryAccount.secretContext(context.id, address)));
        }
        if (columns.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Nothing to update: give at least one property.");
        }
        int updated = repository.update(context.id, address, columns, targets);
        audit.record("secondary.update", "secondary account " + address + " in context " + context.id + ": " + updated
                + " entries (" + String.join(", ", columns.keySet()).replace("secret", "password") + ")", context.resellerId, context.id);
        return new SecondaryUpdate(address, updated);
    }

    /** Revokes the address from the users and groups (group 0: from everybody). */
    public int revoke(TenantContext context, String rawAddress, List<Integer> users, List<Integer> groups) {
        String address = address(rawAddress);
        Targets targets = targets(users, groups, true);
        locks.context(context.id);
        checkTargets(context.id, targets);
        repository.any(context.id, address).orElseThrow(() -> notFound(address));
        int revoked = repository.revoke(context.id, address, targets);
        audit.record("secondary.revoke", "secondary account " + address + " in context " + context.id + ": " + revoked
                + " revoked (" + describe(targets) + ")", context.resellerId, context.id);
        return revoked;
    }

    /** One page of entries (by address, then user id), or all of them for {@code paging} null. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SecondaryEntry> list(TenantContext context, String rawAddress, Integer userId, Paging paging) {
        String address = rawAddress == null ? null : address(rawAddress);
        List<Object[]> rows = repository.list(context.id, address, userId, paging == null ? 0 : paging.offset(),
                paging == null ? 0 : paging.limit());
        List<SecondaryEntry> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            String login = (String) r[6];
            String mailUri = new Server(null, (String) r[9], SecondaryRepository.num(r[10]), (String) r[7],
                    SecondaryRepository.bool(r[8]), false).uri();
            String transportUri = r[11] == null ? null : new Server(null, (String) r[13], SecondaryRepository.num(r[14]),
                    (String) r[11], SecondaryRepository.bool(r[12]), false).uri();
            out.add(new SecondaryEntry(context.id, SecondaryRepository.num(r[0]), SecondaryRepository.num(r[1]), (String) r[2],
                    (String) r[3], (String) r[4], (String) r[5], login, mailUri, transportUri == null ? null : login, transportUri,
                    new SecondaryFolders((String) r[15], (String) r[16], (String) r[17], (String) r[18], (String) r[19])));
        }
        return out;
    }

    private static String address(String raw) {
        return Addresses.address(raw).orElseThrow(() -> notFound(raw));
    }

    private static Targets targets(List<Integer> users, List<Integer> groups, boolean required) {
        Set<Integer> u = users == null ? new TreeSet<>() : new TreeSet<>(users);
        Set<Integer> g = groups == null ? new TreeSet<>() : new TreeSet<>(groups);
        if (required && u.isEmpty() && g.isEmpty()) {
            throw ApiException.invalid("users", "give at least one user or group id (group 0: every user of the context)");
        }
        return new Targets(g.contains(0), u, g);
    }

    /** Every user and group id must be one of the context's, else nothing happens. */
    private void checkTargets(long contextId, Targets t) {
        if (!t.users().isEmpty() && repository.countUsers(contextId, t.users()) != t.users().size()) {
            throw new ApiException(ErrorCode.USER_NOT_FOUND, "Not every user in " + t.users() + " exists in this context.");
        }
        Set<Integer> groups = new TreeSet<>(t.groups());
        groups.remove(0);
        if (!groups.isEmpty()) {
            Set<Integer> missing = new TreeSet<>(groups);
            missing.removeAll(repository.existingGroups(contextId, groups));
            if (!missing.isEmpty()) {
                throw new ApiException(ErrorCode.GROUP_NOT_FOUND, "Groups " + missing + " do not exist in this context.");
            }
        }
    }

    /**
     * An endpoint as stored: {@code none} takes the request's values, {@code localhost} the local host,
     * {@code primary} the users' primary mail server: for IMAP the one mail statistics read
     * ({@code mailplane.imap.*}); Mailplane knows no primary POP3 or SMTP server.
     */
    private Server resolve(String field, SecondaryEndpoint e, boolean transport) {
        String protocol = e.protocol() != null ? e.protocol() : transport ? "smtp" : "imap";
        if (transport != protocol.equals("smtp")) {
            throw ApiException.invalid(field + ".protocol", transport ? "must be smtp" : "must be imap or pop3");
        }
        boolean secure = Boolean.TRUE.equals(e.secure());
        boolean starttls = Boolean.TRUE.equals(e.starttls());
        switch (e.source()) {
            case PRIMARY -> {
                if (!protocol.equals("imap")) {
                    throw new ApiException(ErrorCode.PRIMARY_SERVER_NOT_CONFIGURED,
                            "No primary " + protocol.toUpperCase(java.util.Locale.ROOT)
                                    + " server is configured (only IMAP's); give the endpoint with source \"none\" or \"localhost\".",
                            List.of(new Problem.FieldError(field + ".source", "primary " + protocol + " server not configured")));
                }
                MailplaneConfig.Imap imap = config.imap();
                return new Server(PRIMARY, imap.host(), imap.port(), protocol, imap.tls() == MailplaneConfig.Smtp.Tls.SSL,
                        imap.tls() == MailplaneConfig.Smtp.Tls.STARTTLS);
            }
            case LOCALHOST -> {
                return new Server(LOCALHOST, "localhost", e.port() != null ? e.port() : defaultPort(protocol, secure), protocol, secure, starttls);
            }
            default -> {
                if (e.server() == null) {
                    throw ApiException.invalid(field + ".server", "is required with source none");
                }
                if (e.port() == null) {
                    throw ApiException.invalid(field + ".port", "is required with source none");
                }
                return new Server("none", e.server(), e.port(), protocol, secure, starttls);
            }
        }
    }

    private static int defaultPort(String protocol, boolean secure) {
        return switch (protocol) {
            case "pop3" -> secure ? 995 : 110;
            case "smtp" -> secure ? 465 : 25;
            default -> secure ? 993 : 143;
        };
    }

    private static <T> T pick(T given, T kept) {
        return given != null ? given : kept;
    }

    private static String describe(Targets t) {
        return t.everyone() ? "group 0: every user" : "users " + t.users() + ", groups " + t.groups();
    }

    static ApiException notFound(String address) {
        return new ApiException(ErrorCode.SECONDARY_ACCOUNT_NOT_FOUND, "Secondary account " + address + " does not exist in this context.");
    }
}
