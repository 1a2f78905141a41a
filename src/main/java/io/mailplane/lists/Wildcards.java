package io.mailplane.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A wildcard pattern in which {@code *} stands for any run of characters (also none) and every
 * other character for itself, ignoring ASCII case; it matches a text as a whole.
 *
 * <p>Matching takes time linear in the length of the text, whatever the pattern: the literal
 * pieces between the stars are searched left to right, each at its leftmost place after the
 * previous one (Knuth-Morris-Pratt, so no position of the text is looked at twice). Taking the
 * leftmost place is always right when {@code *} is the only wildcard: any later place would only
 * leave less text for the pieces that follow. Nothing here backtracks, unlike a regular
 * expression built from the pattern.
 */
final class Wildcards {
    private final boolean anyStar;
    private final String prefix;
    private final String suffix;
    private final List<Piece> middle;

    private Wildcards(boolean anyStar, String prefix, String suffix, List<Piece> middle) {
        this.anyStar = anyStar;
        this.prefix = prefix;
        this.suffix = suffix;
        this.middle = middle;
    }

    /** The pattern; it may hold any characters, {@code *} being the only special one. */
    static Wildcards compile(String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        int first = p.indexOf('*');
        if (first < 0) {
            return new Wildcards(false, p, "", List.of());
        }
        int last = p.lastIndexOf('*');
        List<Piece> middle = new ArrayList<>();
        for (String piece : first == last ? new String[0] : p.substring(first + 1, last).split("\\*")) {
            if (!piece.isEmpty()) {
                middle.add(new Piece(piece));
            }
        }
        return new Wildcards(true, p.substring(0, first), p.substring(last + 1), List.copyOf(middle));
    }

    boolean matches(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!anyStar) {
            return t.equals(prefix);
        }
        if (t.length() < prefix.length() + suffix.length() || !t.startsWith(prefix) || !t.endsWith(suffix)) {
            return false;
        }
        int from = prefix.length();
        int end = t.length() - suffix.length();
        for (Piece piece : middle) {
            int at = piece.indexIn(t, from, end);
            if (at < 0) {
                return false;
            }
            from = at + piece.text.length();
        }
        return true;
    }

    /** A literal piece with its Knuth-Morris-Pratt failure table. */
    private static final class Piece {
        final String text;
        final int[] failure;

        Piece(String text) {
            this.text = text;
            this.failure = new int[text.length()];
            for (int i = 1, k = 0; i < text.length(); i++) {
                while (k > 0 && text.charAt(i) != text.charAt(k)) {
                    k = failure[k - 1];
                }
                if (text.charAt(i) == text.charAt(k)) {
                    k++;
                }
                failure[i] = k;
            }
        }

        /** Where the piece first occurs wholly within {@code t[from, end)}, or -1. */
        int indexIn(String t, int from, int end) {
            for (int i = from, k = 0; i < end; i++) {
                while (k > 0 && t.charAt(i) != text.charAt(k)) {
                    k = failure[k - 1];
                }
                if (t.charAt(i) == text.charAt(k)) {
                    k++;
                }
                if (k == text.length()) {
                    return i - k + 1;
                }
            }
            return -1;
        }
    }
}
