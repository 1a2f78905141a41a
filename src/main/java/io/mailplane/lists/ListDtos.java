package io.mailplane.lists;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The OpenAPI schemas of the list answers {@link ListResource} writes as {@code {"blacklist":[...]}} / {@code {"whitelist":[...]}}. */
final class ListDtos {
    private ListDtos() {
    }

    @Schema(name = "Blacklist", requiredProperties = "blacklist")
    record Blacklist(@Schema(description = "Addresses, *@domain or domains") List<String> blacklist) {
    }

    @Schema(name = "Whitelist", requiredProperties = "whitelist")
    record Whitelist(@Schema(description = "Addresses, *@domain or domains") List<String> whitelist) {
    }
}
