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
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            // IPv6 forms that carry an IPv4 address: judged by that address
            byte[] v4 = null;
            if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && java.util.Arrays.equals(b, 4, 12, new byte[8], 0, 8)) {
                v4 = java.util.Arrays.copyOfRange(b, 12, 16); // 64:ff9b::/96 NAT64
            } else if (b[0] == 0x20 && b[1] == 0x02) {
                v4 = java.util.Arrays.copyOfRange(b, 2, 6); // 2002::/16 6to4
            } else if (java.util.Arrays.equals(b, 0, 12, new byte[12], 0, 12)) {
                v4 = java.util.Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d IPv4-compatible
            }
            if (v4 != null) {
                try {
                    return isInternal(InetAddress.getByAddress(v4));
                } catch (java.net.UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128) // 100.64.0.0/10 carrier-grade NAT
                || (first == 169 && second == 254) || first >= 240;
    }
}
