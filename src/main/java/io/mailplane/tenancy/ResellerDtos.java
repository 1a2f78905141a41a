package io.mailplane.tenancy;

import io.mailplane.directory.Reseller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.BrandName;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Wire shapes of {@code /oxaas/v1/admin/resellers}. */
public final class ResellerDtos {
    private ResellerDtos() {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Restrictions(@Min(0) @Max(100_000_000) Integer maxContexts,
                               @Min(0) @Max(1_000_000_000) Integer maxUsers,
                               @Min(0) @Max(1_000_000_000_000L) Long maxQuotaMb) {
        static Restrictions of(Reseller r) {
            return new Restrictions(r.maxContexts, r.maxUsers, r.maxQuotaMb);
        }
    }

    public record CreateReseller(@NotNull @Login String name,
                                 @NotNull @Secret String password,
                                 @NotNull @Label String displayName,
                                 @NotNull @BrandName String brand,
                                 @Positive Long parentId,
                                 @Valid Restrictions restrictions) {
    }

    /** Every field optional: what is present replaces the stored value. */
    public record UpdateReseller(@Secret String password,
                                 @Label String displayName,
                                 @Valid Restrictions restrictions) {
    }

    public record TenantCredentials(@NotNull @Login String login, @NotNull @Secret String password) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ResellerView(long id, String name, String displayName, String brand, Long parentId,
                               Restrictions restrictions, String tenantLogin) {
        static ResellerView of(Reseller r, String tenantLogin) {
            return new ResellerView(r.id, r.name, r.displayName, r.brand, r.parentId, Restrictions.of(r), tenantLogin);
        }
    }
}
