package io.mailplane.groups;

import io.mailplane.directory.MailUser;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.HashSet;
import java.util.Set;

/** A group of a context; group id 0 is reserved for "all users of the context". Read and written by {@link GroupRepository}. */
@Entity
@Table(name = "groups_")
public class MailGroup extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long pk;
    @Column(name = "context_id")
    public Long contextId;
    @Column(name = "group_id")
    public Integer groupId;
    public String name;
    @Column(name = "display_name")
    public String displayName;
    @ManyToMany
    @JoinTable(name = "group_members", joinColumns = @JoinColumn(name = "group_pk"),
            inverseJoinColumns = @JoinColumn(name = "user_pk"))
    public Set<MailUser> members = new HashSet<>();
    @Version
    public int version;
}
