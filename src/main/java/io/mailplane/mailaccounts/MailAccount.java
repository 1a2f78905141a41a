package io.mailplane.mailaccounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDateTime;

/** An external mail account of a user; {@link #id} is ONLYOFFICE's {@code mailboxId}. */
@Entity
@Table(name = "mail_accounts")
public class MailAccount extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "user_pk")
    public long userPk;
    public String email;
    @Column(name = "email_domain")
    public String emailDomain;
    public String name;
    public boolean enabled;
    @Column(name = "is_default")
    public boolean isDefault;
    public boolean imap;
    @Column(name = "restrict_import")
    public boolean restrictImport;

    @Column(name = "in_server")
    public String inServer;
    @Column(name = "in_port")
    public int inPort;
    @Column(name = "in_login")
    public String inLogin;
    @Column(name = "in_encryption")
    public int inEncryption;
    @Column(name = "in_auth")
    public int inAuth;
    @Column(name = "in_secret")
    public String inSecret;

    @Column(name = "smtp_server")
    public String smtpServer;
    @Column(name = "smtp_port")
    public int smtpPort;
    @Column(name = "smtp_login")
    public String smtpLogin;
    @Column(name = "smtp_encryption")
    public int smtpEncryption;
    @Column(name = "smtp_auth")
    public boolean smtpAuth;
    @Column(name = "smtp_auth_type")
    public int smtpAuthType;
    @Column(name = "smtp_secret")
    public String smtpSecret;

    @Column(name = "signature_html")
    public String signatureHtml;
    @Column(name = "signature_active")
    public boolean signatureActive;

    @Column(name = "autoreply_on")
    public boolean autoreplyOn;
    @Column(name = "autoreply_contacts")
    public boolean autoreplyOnlyContacts;
    @Column(name = "autoreply_to_date")
    public boolean autoreplyToDate;
    @Column(name = "autoreply_from")
    public LocalDateTime autoreplyFrom;
    @Column(name = "autoreply_to")
    public LocalDateTime autoreplyTo;
    @Column(name = "autoreply_subject")
    public String autoreplySubject;
    @Column(name = "autoreply_html")
    public String autoreplyHtml;

    @Version
    public int version;
    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Associated data that binds a ciphertext to this user, address and field. */
    static String secretContext(long userPk, String email, String field) {
        return "mail_accounts/" + userPk + "/" + email + "/" + field;
    }
}
