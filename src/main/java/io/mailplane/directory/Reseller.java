package io.mailplane.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A reseller (brand admin); {@code parentId} makes it a sub-brand. */
@Entity
@Table(name = "resellers")
public class Reseller extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    @Column(name = "password_hash")
    public String passwordHash;
    @Column(name = "display_name")
    public String displayName;
    public String brand;
    @Column(name = "parent_id")
    public Long parentId;
    @Column(name = "max_contexts")
    public Integer maxContexts;
    @Column(name = "max_users")
    public Integer maxUsers;
    @Column(name = "max_quota_mb")
    public Long maxQuotaMb;
    @Version
    public int version;
}
