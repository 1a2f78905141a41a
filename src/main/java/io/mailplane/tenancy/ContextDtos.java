package io.mailplane.tenancy;

import io.mailplane.directory.TenantContext;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.ContextName;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Wire shapes of {@code /oxaas/v1/admin/contexts}. */
public final class ContextDtos {
    private ContextDtos() {
    }

    public record CreateContext(@Positive @Max(2_147_483_647L) Long id,
                                @NotNull @ContextName String name,
                                @Login String adminLogin,
                                @NotNull @Secret String adminPassword,
                                @Min(0) @Max(1_000_000_000) Integer maxUsers,
                                @Min(0) @Max(1_000_000_000_000L) Long maxQuotaMb,
                                @Positive Long resellerId) {
    }

    /** Every field optional: what is present replaces the stored value. */
    public record UpdateContext(@ContextName String name,
                                @Secret String adminPassword,
                                @Min(0) @Max(1_000_000_000) Integer maxUsers,
                                @Min(0) @Max(1_000_000_000_000L) Long maxQuotaMb) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ContextView(long id, String name, long resellerId, String adminLogin, Integer maxUsers, Long maxQuotaMb) {
        static ContextView of(TenantContext c) {
            return new ContextView(c.id, c.name, c.resellerId, c.adminLogin, c.maxUsers, c.maxQuotaMb);
        }
    }
}
