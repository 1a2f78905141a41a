package io.mailplane;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/** The OpenAPI document's header and OX's five authentication schemes. */
@OpenAPIDefinition(info = @Info(title = "Mailplane admin API", version = "0.1.0"))
@SecuritySchemes({
    @SecurityScheme(securitySchemeName = "basicAuth", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "A user's own login and password, or a session token from POST /api/2.0/authentication."),
    @SecurityScheme(securitySchemeName = "contextAdminAuth", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "Context administrator credentials (login on a path with a context, login@context elsewhere), the owning reseller, or the master admin when MASTER_ACCOUNT_OVERRIDE is enabled."),
    @SecurityScheme(securitySchemeName = "contextAdminOnlyAuth", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "Context administrator credentials or the owning reseller."),
    @SecurityScheme(securitySchemeName = "resellerAdminAuth", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "Reseller credentials (within the reseller's brand tree), or the master admin when MASTER_ACCOUNT_OVERRIDE is enabled; provisioning of resellers and contexts always admits the master admin. Context administrators never."),
    @SecurityScheme(securitySchemeName = "tennantAuth", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "The tenant credentials of the brand that owns the addressed user.")
})
public class MailplaneApplication extends Application {
}
