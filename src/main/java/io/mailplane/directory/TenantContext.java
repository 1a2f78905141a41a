package io.mailplane.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A context: one customer organisation, owned by a reseller, with its own admin (user id 2). */
@Entity
@Table(name = "contexts")
public class TenantContext extends PanacheEntityBase {
    public static final int ADMIN_USER_ID = 2;

    @Id
    public Long id;
    public String name;
    @Column(name = "reseller_id")
    public Long resellerId;
    @Column(name = "admin_login")
    public String adminLogin;
    @Column(name = "admin_password_hash")
    public String adminPasswordHash;
    @Column(name = "max_users")
    public Integer maxUsers;
    @Column(name = "max_quota_mb")
    public Long maxQuotaMb;
    @Version
    public int version;
}
