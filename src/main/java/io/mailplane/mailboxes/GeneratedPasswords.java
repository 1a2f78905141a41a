package io.mailplane.mailboxes;

import java.security.SecureRandom;

/**
 * Passwords generated for new users that were given none: 20 characters from 56 letters and
 * digits without look-alikes (0/O, 1/l/I), so about 116 bits from {@link SecureRandom}, with at
 * least one lower-case letter, upper-case letter and digit for systems that ask for them.
 */
final class GeneratedPasswords {
    static final int LENGTH = 20;
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String DIGITS = "23456789";
    private static final String ALPHABET = LOWER + UPPER + DIGITS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedPasswords() {
    }

    static String next() {
        while (true) {
            StringBuilder password = new StringBuilder(LENGTH);
            for (int i = 0; i < LENGTH; i++) {
                password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            String p = password.toString();
            if (p.chars().anyMatch(c -> LOWER.indexOf(c) >= 0) && p.chars().anyMatch(c -> UPPER.indexOf(c) >= 0)
                    && p.chars().anyMatch(c -> DIGITS.indexOf(c) >= 0)) {
                return p;
            }
        }
    }
}
