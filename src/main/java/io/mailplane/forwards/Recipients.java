package io.mailplane.forwards;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailplane.common.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The recipients of a forwarding request, in any of the three forms OX clients send:
 * {@code ["a@x","b@y"]}, {@code {"recipient":"a@x"}} or {@code {"recipient":["a@x"]}}.
 */
@Schema(name = "Recipients", description = "The recipients in any of the forms OX clients send: [\"a@x\",\"b@y\"], "
        + "{\"recipient\":\"a@x\"} or {\"recipient\":[\"a@x\"]}.",
        oneOf = {Recipients.Addresses.class, Recipients.Single.class, Recipients.Several.class})
public record Recipients(@Schema(hidden = true) List<String> values) {

    /** The OpenAPI schema of the array form (documentation only). */
    @Schema(name = "RecipientAddresses", type = SchemaType.ARRAY, implementation = String.class,
            description = "Recipient addresses", examples = "[\"alice@example.com\",\"bob@partner.example\"]")
    public static final class Addresses {
        private Addresses() {
        }
    }

    @Schema(name = "RecipientSingle", requiredProperties = "recipient")
    public record Single(@Schema(description = "One recipient address") String recipient) {
    }

    @Schema(name = "RecipientList", requiredProperties = "recipient")
    public record Several(@Schema(description = "Recipient addresses") List<String> recipient) {
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Recipients of(JsonNode body) {
        if (!body.isObject() && !body.isArray()) {
            throw ApiException.invalid("recipient", "send [\"a@x\"], {\"recipient\":\"a@x\"} or {\"recipient\":[\"a@x\"]}");
        }
        JsonNode list = body;
        if (body.isObject()) {
            Iterator<String> names = body.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("recipient")) {
                    throw ApiException.invalid(name, "unknown field; send recipient");
                }
            }
            list = body.get("recipient");
            if (list == null) {
                throw ApiException.invalid("recipient", "must not be missing");
            }
        }
        List<String> values = new ArrayList<>();
        if (list.isTextual()) {
            values.add(list.textValue());
        } else if (list.isArray()) {
            for (JsonNode item : list) {
                if (!item.isTextual()) {
                    throw ApiException.invalid("recipient", "every recipient must be a string");
                }
                values.add(item.textValue());
            }
        } else {
            throw ApiException.invalid("recipient", "must be an address or a list of addresses");
        }
        return new Recipients(List.copyOf(values));
    }

    /**
     * The canonical recipients of {@code alias} (itself canonical): each address canonical, the
     * first spelling of addresses that differ only in case kept, in address order; 400 for none,
     * more than {@code max}, an invalid address, or the alias itself.
     */
    public static List<String> canonical(String alias, List<String> raw, int max) {
        if (raw.isEmpty()) {
            throw ApiException.invalid("recipient", "name at least one recipient");
        }
        if (raw.size() > max) {
            throw ApiException.invalid("recipient", "at most " + max + " recipients");
        }
        Map<String, String> canonical = new TreeMap<>();
        for (String r : raw) {
            String address = io.mailplane.common.Addresses.require("recipient", r);
            if (address.equalsIgnoreCase(alias)) {
                throw ApiException.invalid("recipient", "an alias cannot forward to itself");
            }
            canonical.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
        }
        return List.copyOf(new LinkedHashSet<>(canonical.values()));
    }
}
