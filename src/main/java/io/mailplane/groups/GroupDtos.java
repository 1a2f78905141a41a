package io.mailplane.groups;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.Login;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Wire shapes of {@code /oxaas/v1/admin/contexts/{contextid}/groups}. */
public final class GroupDtos {
    public static final int MAX_MEMBERS = 10_000;

    private GroupDtos() {
    }

    public record CreateGroup(@NotNull @Login String name,
                              @Label String displayName,
                              @Size(max = MAX_MEMBERS) List<@NotNull @Positive Integer> members) {
    }

    /** Every field optional: what is present replaces the stored value ({@code members} as a whole). */
    public record UpdateGroup(@Login String name,
                              @Label String displayName,
                              @Size(max = MAX_MEMBERS) List<@NotNull @Positive Integer> members) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record GroupView(int id, String name, String displayName, List<Integer> members,
                            @com.fasterxml.jackson.annotation.JsonIgnore int version) {
        static GroupView of(MailGroup g) {
            return new GroupView(g.groupId, g.name, g.displayName,
                    g.members.stream().map(u -> u.userId).sorted().toList(), g.version);
        }
    }
}
