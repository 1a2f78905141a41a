package io.mailplane.directory;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.directory.DirectoryRepository.AddressOwner;
import jakarta.enterprise.context.ApplicationScoped;
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
 * The SQL is in {@link DirectoryRepository}; here are the rules (claim order, the 409).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class AddressRegistry {
    /** Kinds of owner (column {@code kind}). */
    public static final String PRIMARY = "primary";
    public static final String ALIAS = "alias";
    public static final String FORWARD = "forward";

    private final DirectoryRepository repository;

    public AddressRegistry(DirectoryRepository repository) {
        this.repository = repository;
    }

    /** The addresses among {@code addresses} that someone other than the user ({@code userPk}, null for a new one) owns. */
    public List<String> takenByOthers(Collection<String> addresses, Long userPk) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        return repository.addressesTakenByOthers(addresses, userPk);
    }

    /** What owns the address: {@link #PRIMARY}, {@link #ALIAS} or {@link #FORWARD}; empty when it is free. */
    public Optional<String> kindOf(String address) {
        return repository.addressKind(address);
    }

    /**
     * Makes the registry hold exactly these addresses for the user (its row locked by the
     * caller): the user's other rows go, the new ones are claimed; 409 when one is taken.
     */
    public void setUserAddresses(long contextId, long userPk, String primary, Collection<String> aliases) {
        repository.deleteUserAddresses(contextId, userPk);
        // One order for every writer, so two writers of overlapping sets wait rather than deadlock.
        TreeMap<String, String> kinds = new TreeMap<>();
        aliases.forEach(a -> kinds.put(a.toLowerCase(Locale.ROOT), a));
        kinds.put(primary.toLowerCase(Locale.ROOT), primary);
        for (String address : kinds.values()) {
            claim(address, contextId, address.equals(primary) ? PRIMARY : ALIAS, AddressOwner.USER, userPk);
        }
    }

    /** Frees one alias of the user. */
    public void removeUserAlias(long contextId, long userPk, String alias) {
        repository.deleteUserAlias(contextId, userPk, alias);
    }

    /** Claims the address of a new forwarding alias; 409 when someone owns it. */
    public void claimForward(long contextId, long forwardId, String alias) {
        claim(alias, contextId, FORWARD, AddressOwner.FORWARD, forwardId);
    }

    private void claim(String address, long contextId, String kind, AddressOwner ownerKind, long owner) {
        if (!repository.insertAddress(address, contextId, kind, ownerKind, owner)) {
            throw new ApiException(ErrorCode.ADDRESS_EXISTS, "Address " + address + " is already used by a user or a forwarding alias.");
        }
    }
}
