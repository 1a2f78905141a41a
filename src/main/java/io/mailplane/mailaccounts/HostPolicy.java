package io.mailplane.mailaccounts;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Which addresses count as internal: a user must not make the service probe its own networks. */
final class HostPolicy {
    private HostPolicy() {
    }

    static boolean isInternal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128) // 100.64.0.0/10 carrier-grade NAT
                || (first == 169 && second == 254) || first >= 240;
    }
}
