package io.mailplane.announcements;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * An announcement of a brand ({@code ownerId}, a reseller). Its window [{@code startAt}, {@code endAt})
 * is kept as UTC instants, which the active query compares with the database's clock; the wall-clock
 * times a reseller writes and reads are those instants in {@code timezone}. Read and written by
 * {@link AnnouncementRepository}.
 */
@Entity
@Table(name = "announcements")
public class Announcement extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "owner_id")
    public Long ownerId;
    public String name;
    /** The message: a JSON value, serialised. */
    @Column(name = "msg_json")
    public String msgJson;
    /** An IANA time zone id: the zone the window was written in, and is shown in. */
    public String timezone;
    @Column(name = "start_at")
    @Convert(converter = UtcColumn.class)
    public Instant startAt;
    @Column(name = "end_at")
    @Convert(converter = UtcColumn.class)
    public Instant endAt;
    public boolean discardable;
    public boolean enabled;
    @Version
    public int version;
}
