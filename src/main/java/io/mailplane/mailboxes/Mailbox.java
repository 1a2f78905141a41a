package io.mailplane.mailboxes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * An Exchange-style mailbox of one user (table {@code mailboxes}). Its addresses and size limit
 * are the user's own ({@code users.primary_email}, {@code user_aliases}, {@code users.quota_mb}),
 * so they are not held here. Read and written by {@link MailboxRepository}.
 */
@Entity
@Table(name = "mailboxes")
public class Mailbox extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "context_id")
    public Long contextId;
    @Column(name = "user_pk")
    public Long userPk;
    public String alias;
    public boolean owa;
    public boolean mapi;
    @Column(name = "active_sync")
    public boolean activeSync;
    public boolean imap4;
    public boolean pop3;
    @Column(name = "skip_initialization")
    public boolean skipInitialization;
    public boolean migrated;
    @Version
    public int version;
}
