package io.mailplane.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The Basic-auth credentials of a brand's integrations (OX {@code tennantAuth}). */
@Entity
@Table(name = "tenant_credentials")
public class TenantCredential extends PanacheEntityBase {
    @Id
    @Column(name = "reseller_id")
    public Long resellerId;
    public String login;
    @Column(name = "password_hash")
    public String passwordHash;
}
