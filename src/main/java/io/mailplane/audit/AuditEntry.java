package io.mailplane.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One admin change: who (actor, realm), what (action, target), where (reseller, context), when. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Instant at;
    public String actor;
    public String realm;
    public String action;
    public String target;
    @Column(name = "reseller_id")
    public Long resellerId;
    @Column(name = "context_id")
    public Long contextId;
    @Column(name = "request_id")
    public String requestId;
}
