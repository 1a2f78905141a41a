package io.mailplane.mailaccounts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.ToIntFunction;

/** Reads an ONLYOFFICE enum given as its numeric code, the code as a string, or its name (any case). */
final class Codes {
    private Codes() {
    }

    static <E extends Enum<E>> E parse(JsonNode node, E[] values, ToIntFunction<E> code, String allowed) {
        if (node.isInt()) {
            for (E e : values) {
                if (code.applyAsInt(e) == node.intValue()) {
                    return e;
                }
            }
        } else if (node.isTextual()) {
            String text = node.textValue().trim();
            for (E e : values) {
                if (e.name().equalsIgnoreCase(text) || String.valueOf(code.applyAsInt(e)).equals(text)) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("must be one of " + allowed);
    }
}
