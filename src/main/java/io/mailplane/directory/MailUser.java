package io.mailplane.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** A mail user of a context; {@code userId} is the id within the context (from 3 up). */
@Entity
@Table(name = "users")
public class MailUser extends PanacheEntityBase {
    public static final int FIRST_USER_ID = 3;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long pk;
    @Column(name = "context_id")
    public Long contextId;
    @Column(name = "user_id")
    public Integer userId;
    public String uidname;
    @Column(name = "primary_email")
    public String primaryEmail;
    @Column(name = "display_name")
    public String displayName;
    @Column(name = "password_hash")
    public String passwordHash;
    /** The password hash the mail server verifies ({@code {ARGON2ID}...}); null until set (V10). */
    @Column(name = "mail_password_hash")
    public String mailPasswordHash;
    @Column(name = "quota_mb")
    public Long quotaMb;
    /** Whether the user has a mailbox (implicit or explicit): receives mail and may log in to IMAP/POP3 (V15). */
    @Column(name = "mail_enabled")
    public boolean mailEnabled = true;
    @Column(name = "last_login_at")
    public Instant lastLoginAt;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "user_aliases", joinColumns = @JoinColumn(name = "user_pk"))
    @Column(name = "address")
    public Set<String> aliases = new TreeSet<>();
    public String msisdn;
    @Column(name = "msisdn_digits")
    public String msisdnDigits;
    public String oxdeliverystatus;
    public String oxlegacyref;
    public String oxantiphishing;
    public Boolean antivirus;
    public String spamlevel;
    public String quotamode;
    @ElementCollection
    @CollectionTable(name = "user_class_of_service", joinColumns = @JoinColumn(name = "user_pk"))
    @Column(name = "cos")
    public Set<String> classOfService = new TreeSet<>();
    @ElementCollection
    @CollectionTable(name = "user_custom_ids", joinColumns = @JoinColumn(name = "user_pk"))
    @Column(name = "custom_id")
    public Set<String> customIds = new TreeSet<>();
    @Version
    public int version;
}
