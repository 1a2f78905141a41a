package io.mailplane.mailaccounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which literal addresses the verifier refuses to connect to when private networks are not allowed. */
class HostPolicyTest {
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3",
        "10.0.0.1", "10.255.255.255",
        "172.16.0.1", "172.20.1.1", "172.31.255.255",
        "192.168.0.1", "192.168.255.255",
        "169.254.0.1", "169.254.169.254",
        "100.64.0.1", "100.100.100.100", "100.127.255.255",
        "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::1", "::", "fc00::1", "fd12:3456:789a::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fe80::1", "febf::1", "ff02::1", "fec0::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:192.168.1.1", "::ffff:169.254.169.254"})
    void shouldTreatLoopbackPrivateLinkLocalAndSpecialAddressesAsInternal(String literal) {
        assertTrue(HostPolicy.isInternal(ip(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "1.1.1.1", "93.184.216.34", "9.255.255.255", "11.0.0.1",
        "172.15.255.255", "172.32.0.1", "192.167.255.255", "192.169.0.1",
        "169.253.255.255", "169.255.0.1", "100.63.255.255", "100.128.0.1", "223.255.255.255",
        "2001:4860:4860::8888", "2606:4700:4700::1111", "2a00:1450:4001:82a::200e",
        "fbff::1", "fe00::1", "::ffff:8.8.8.8"})
    void shouldTreatPublicAddressesAsExternal(String literal) {
        assertFalse(HostPolicy.isInternal(ip(literal)), literal);
    }

    /**
     * IPv6 forms that embed an IPv4 address reach that IPv4 address through a translator
     * (NAT64 64:ff9b::/96, e.g. on IPv6-only Kubernetes nodes with DNS64/NAT64; 6to4 2002::/16)
     * or are deprecated IPv4-compatible addresses: an internal embedded IPv4 address is internal.
     */
    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::10.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b::169.254.169.254", "64:ff9b::192.168.1.1",
        "2002:0a00:0001::1", "2002:7f00:0001::1", "::127.0.0.1", "::10.0.0.1"})
    void shouldTreatIpv6FormsEmbeddingAnInternalIpv4AddressAsInternal(String literal) {
        assertTrue(HostPolicy.isInternal(ip(literal)), literal);
    }
}
