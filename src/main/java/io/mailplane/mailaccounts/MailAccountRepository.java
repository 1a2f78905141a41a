package io.mailplane.mailaccounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * All SQL of the external mail accounts. Accounts are read and written as Panache entities;
 * the two statements that are not about one loaded account are native SQL (see each).
 * <p>
 * Every method needs the caller's transaction ({@code MANDATORY}): the services keep their
 * transactions short and never open one around a conversation with a mail server, and a call
 * outside any transaction would instead hold the request's connection until the request ends.
 * Row locks are {@link io.mailplane.common.RowLocks}' business, not this class's.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MailAccountRepository {
    private final EntityManager em;

    public MailAccountRepository(EntityManager em) {
        this.em = em;
    }

    /** A user's accounts, oldest first. */
    public List<MailAccount> list(long userPk) {
        return MailAccount.list("userPk = ?1 order by id", userPk);
    }

    public Optional<MailAccount> find(long userPk, String email) {
        return MailAccount.find("userPk = ?1 and email = ?2", userPk, email).firstResultOptional();
    }

    public Optional<MailAccount> find(long userPk, long mailboxId) {
        return MailAccount.find("userPk = ?1 and id = ?2", userPk, mailboxId).firstResultOptional();
    }

    public long count(long userPk) {
        return MailAccount.count("userPk", userPk);
    }

    /** Writes the account now (persisting a new one), so that its id and any constraint violation are known before commit. */
    public void save(MailAccount a) {
        if (a.id == null) {
            a.persist();
        }
        em.flush();
    }

    public void delete(MailAccount a) {
        a.delete();
    }

    /**
     * Clears the default flag of the user's other accounts. Through the entities (a user has at most
     * a few dozen), so their versions move the one way every version moves: Hibernate's {@code @Version}.
     */
    public void clearOtherDefaults(long userPk, long keptId) {
        MailAccount.<MailAccount>list("userPk = ?1 and id <> ?2 and isDefault = true", userPk, keptId)
                .forEach(other -> other.isDefault = false);
    }

    /**
     * The server settings of the context's accounts on {@code domain} that {@code accounts/simple}
     * could reuse (plain logins, SMTP authenticated, login = the address or its local part), the
     * five most used first. Native: a grouping over MariaDB's {@code SUBSTRING_INDEX}.
     */
    public List<ServerCandidates.Learned> learned(long contextId, String domain) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT imap, in_server, in_port, in_encryption, smtp_server, smtp_port, smtp_encryption,
                       CASE WHEN in_login = email THEN 1 ELSE 0 END AS full_login, COUNT(*) AS uses
                FROM mail_accounts
                WHERE email_domain = ?1 AND user_pk IN (SELECT pk FROM users WHERE context_id = ?2)
                  AND in_auth IN (0, 1) AND smtp_auth AND smtp_auth_type IN (0, 1)
                  AND (in_login = email OR in_login = SUBSTRING_INDEX(email, '@', 1))
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                ORDER BY uses DESC
                LIMIT 5""").setParameter(1, domain).setParameter(2, contextId).getResultList();
        return rows.stream().map(row -> new ServerCandidates.Learned(
                row[0] instanceof Boolean b ? b : ((Number) row[0]).intValue() != 0,
                (String) row[1], ((Number) row[2]).intValue(), Encryption.ofCode(((Number) row[3]).intValue()),
                (String) row[4], ((Number) row[5]).intValue(), Encryption.ofCode(((Number) row[6]).intValue()),
                ((Number) row[7]).intValue() == 1)).toList();
    }
}
