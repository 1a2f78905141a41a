package io.mailplane;

import io.mailplane.common.OnlyofficeError;
import io.mailplane.common.Problem;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.servers.ServerVariable;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenAPI document's header: info, server, tags, the two authentication schemes and the
 * shared error schemas. {@link io.mailplane.openapi.ContractFilter} completes every operation
 * (OX realm, error responses, path parameters) from these.
 */
@OpenAPIDefinition(
        info = @Info(title = "Mailplane admin API",
                // replaced by the service's version (quarkus.application.version) at start-up
                version = "0",
                description = "Provisioning and mail administration for a hosted mail platform: the Open-Xchange "
                        + "Cloud-Plugins admin API under /oxaas/v1/admin (also served under /api/oxaas/v1/admin) and an "
                        + "ONLYOFFICE-compatible mail-accounts API under /api/2.0/mail; mailbox statistics under /oxaas/v1/mail.\n\n"
                        + "Every operation is authenticated with HTTP Basic (`basicAuth`) except sign-in; end users may "
                        + "instead send the session token from `POST /api/2.0/authentication` (`bearerAuth`). The OX "
                        + "authorization realm that applies is named per operation in `x-ox-auth`.",
                license = @License(name = "Proprietary", identifier = "LicenseRef-Mailplane-Proprietary")),
        servers = @Server(url = "{scheme}://{host}:{port}", description = "The service (README's run command starts it on localhost:8080)",
                variables = {
                    @ServerVariable(name = "scheme", defaultValue = "http", enumeration = {"http", "https"}, description = "http or https"),
                    @ServerVariable(name = "host", defaultValue = "localhost", description = "Host name of the service"),
                    @ServerVariable(name = "port", defaultValue = "8080", description = "Port of the service")
                }),
        tags = {
            @Tag(name = "Provisioning", description = "Resellers (brands), contexts (customer organisations), their users and groups."),
            @Tag(name = "Admin", description = "OX Cloud-Plugins per-user attributes, user search, brand lookup and session closing."),
            @Tag(name = "Forwards", description = "Forwarding aliases of a context (OX Forwards)."),
            @Tag(name = "Explicit Domains", description = "Mail domains owned by one context (OX Explicit Domains)."),
            @Tag(name = "Shared Domains", description = "Mail domains shared by every context of a brand (OX Shared Domains)."),
            @Tag(name = "Black And White Lists", description = "A user's sender black and white lists (OX Black And White Lists)."),
            @Tag(name = "External mail accounts", description = "Context admins' view of a user's external mail accounts, for offboarding."),
            @Tag(name = "Audit", description = "The audit log of admin changes."),
            @Tag(name = "User sessions", description = "ONLYOFFICE-style sign-in of end users: session tokens."),
            @Tag(name = "Mail accounts", description = "ONLYOFFICE-compatible management of a user's own external IMAP/POP3 and SMTP accounts. "
                    + "Answers are ONLYOFFICE envelopes, JSON or XML."),
            @Tag(name = "Notification", description = "Notification mails to users (OX Cloud-Plugins Notification), rendered from "
                    + "per-brand templates, queued in the outbox and delivered over SMTP."),
            @Tag(name = "Announcements", description = "Messages a brand shows its users and its sub-brands' users in a time window (OX Announcements)."),
            @Tag(name = "Mailboxes", description = "Exchange-style mailboxes (pem.exchange.addMailbox): a mailbox for an existing or a new user, "
                    + "with protocol flags; its addresses and size limit are the user's."),
            @Tag(name = "Shared accounts", description = "Shared accounts with an owner, a type (mailbox, sso, mailbox_sso) and delegates "
                    + "(users and groups, live membership, optional end): admin API and owners' and delegates' self-service."),
            @Tag(name = "Mail", description = "Statistics of a user's mailbox (OX Cloud-Plugins Mail), read over IMAP as the mail server's master user.")
        },
        components = @Components(
                schemas = {
                    @Schema(name = "Problem", implementation = Problem.class),
                    @Schema(name = "OnlyofficeError", implementation = OnlyofficeError.class)
                },
                headers = {
                    @Header(name = "ETag", description = "The resource's version; send it back in If-Match to update only that version.",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Location", description = "URL of the created resource.",
                            schema = @Schema(type = SchemaType.STRING, format = "uri")),
                    @Header(name = "Retry-After", description = "Seconds to wait before retrying.",
                            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "0")),
                    @Header(name = "WWW-Authenticate", description = "The Basic challenge.",
                            schema = @Schema(type = SchemaType.STRING))
                }))
@SecurityScheme(securitySchemeName = "basicAuth", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "HTTP Basic. Admins: the master admin, resellers, context admins (`login` on a path that names the "
                + "context, `login@<contextId|contextName>` elsewhere) and tenant credentials; end users: their own "
                + "login and password. Which of them an operation admits is its OX realm (`x-ox-auth`).")
@SecurityScheme(securitySchemeName = "bearerAuth", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An end user's session token from POST /api/2.0/authentication (also accepted without the Bearer prefix).")
public class MailplaneApplication extends Application {
}
