package io.mailplane.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The key a client's failed logins are counted under: its IPv4 address, or its IPv6 /64. */
class ClientAddressKeyTest {
    @Test
    void anIpv4AddressIsItsOwnKey() {
        assertEquals("192.0.2.7", LoginThrottle.addressKey("192.0.2.7"));
        assertNotEquals(LoginThrottle.addressKey("192.0.2.7"), LoginThrottle.addressKey("192.0.2.8"));
    }

    @Test
    void ipv6AddressesOfOneSubnetShareAKey() {
        // One subscriber usually holds a whole /64: rotating through it must not give fresh budgets.
        assertEquals(LoginThrottle.addressKey("2001:db8:1:2::5"), LoginThrottle.addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals(LoginThrottle.addressKey("2001:db8:1:2::5"), LoginThrottle.addressKey("[2001:0db8:0001:0002:0:0:0:9]"));
        assertNotEquals(LoginThrottle.addressKey("2001:db8:1:2::5"), LoginThrottle.addressKey("2001:db8:1:3::5"));
    }

    @Test
    void anIpv4MappedIpv6AddressCountsAsTheIpv4Address() {
        assertEquals("192.0.2.7", LoginThrottle.addressKey("::ffff:192.0.2.7"));
    }

    @Test
    void aMissingAddressStillHasAKey() {
        assertEquals("unknown", LoginThrottle.addressKey(null));
        assertEquals("unknown", LoginThrottle.addressKey(""));
    }

    @Test
    void unknownLoginNamesDifferingOnlyInLetterCaseOrAccentsShareABudget() {
        assertEquals(LoginThrottle.unknownLogin("nobody@example.com"), LoginThrottle.unknownLogin("NoBody@Example.COM"));
        assertEquals(LoginThrottle.unknownLogin("nobody@example.com"), LoginThrottle.unknownLogin("nöbody@example.com  "));
        assertNotEquals(LoginThrottle.unknownLogin("nobody@example.com"), LoginThrottle.unknownLogin("nobody@example.org"));
    }
}
