package io.mailplane.directory;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The table {@code mail_addresses}: every deliverable address of the platform with its one
 * owner (a user's primary address or alias, or a forwarding alias). Its primary key on the
 * address decides races between writers of different kinds and contexts: the first insert
 * wins, a later one meets the duplicate and is refused with 409 {@code ADDRESS_EXISTS}.
 * Deleting a user, a forward or a context frees their addresses through the foreign keys.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class AddressRegistry {
    /** Kinds of owner (column {@code kind}). */
    public static final String PRIMARY = "primary";
    public static final String ALIAS = "alias";
    public static final String FORWARD = "forward";

    private final EntityManager em;

    public AddressRegistry(EntityManager em) {
        this.em = em;
    }

    /** The addresses among {@code addresses} that someone other than the user ({@code userPk}, null for a new one) owns. */
    public List<String> takenByOthers(Collection<String> addresses, Long userPk) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<String> taken = em.createNativeQuery("SELECT address FROM mail_addresses WHERE address IN (?1)"
                        + " AND (user_pk IS NULL OR user_pk <> ?2) ORDER BY address")
                .setParameter(1, addresses).setParameter(2, userPk == null ? -1L : userPk).getResultList();
        return taken;
    }

    /** What owns the address: {@link #PRIMARY}, {@link #ALIAS} or {@link #FORWARD}; empty when it is free. */
    public Optional<String> kindOf(String address) {
        @SuppressWarnings("unchecked")
        List<String> kinds = em.createNativeQuery("SELECT kind FROM mail_addresses WHERE address = ?1")
                .setParameter(1, address).getResultList();
        return kinds.stream().findFirst();
    }

    /**
     * Makes the registry hold exactly these addresses for the user (its row locked by the
     * caller): the user's other rows go, the new ones are claimed; 409 when one is taken.
     */
    public void setUserAddresses(long contextId, long userPk, String primary, Collection<String> aliases) {
        em.createNativeQuery("DELETE FROM mail_addresses WHERE context_id = ?1 AND user_pk = ?2")
                .setParameter(1, contextId).setParameter(2, userPk).executeUpdate();
        // One order for every writer, so two writers of overlapping sets wait rather than deadlock.
        TreeMap<String, String> kinds = new TreeMap<>();
        aliases.forEach(a -> kinds.put(a.toLowerCase(Locale.ROOT), a));
        kinds.put(primary.toLowerCase(Locale.ROOT), primary);
        for (String address : kinds.values()) {
            claim(address, contextId, address.equals(primary) ? PRIMARY : ALIAS, "user_pk", userPk);
        }
    }

    /** Frees one alias of the user. */
    public void removeUserAlias(long contextId, long userPk, String alias) {
        em.createNativeQuery("DELETE FROM mail_addresses WHERE address = ?1 AND context_id = ?2 AND user_pk = ?3 AND kind = 'alias'")
                .setParameter(1, alias).setParameter(2, contextId).setParameter(3, userPk).executeUpdate();
    }

    /** Claims the address of a new forwarding alias; 409 when someone owns it. */
    public void claimForward(long contextId, long forwardId, String alias) {
        claim(alias, contextId, FORWARD, "forward_id", forwardId);
    }

    /** {@code ownerColumn} is user_pk or forward_id (a constant, never input). */
    private void claim(String address, long contextId, String kind, String ownerColumn, long owner) {
        // INSERT IGNORE: a duplicate waits for its writer's transaction to end, then inserts nothing.
        int inserted = em.createNativeQuery("INSERT IGNORE INTO mail_addresses (address, context_id, kind, " + ownerColumn + ")"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, address).setParameter(2, contextId).setParameter(3, kind).setParameter(4, owner)
                .executeUpdate();
        if (inserted == 0) {
            throw new ApiException(ErrorCode.ADDRESS_EXISTS, "Address " + address + " is already used by a user or a forwarding alias.");
        }
    }
}
