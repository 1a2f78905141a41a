package io.mailplane.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Completes the generated OpenAPI document so that SDK generators turn it into clean clients.
 * The resources name their OX realm in {@code @SecurityRequirement}; this filter, for every
 * operation:
 * <ul>
 * <li>turns that realm into the one HTTP scheme it uses ({@code basicAuth}, plus {@code bearerAuth}
 * for end users), names the realm in {@code x-ox-auth} and says in the description who it admits;</li>
 * <li>declares every path parameter once, at the operation, in URL order, with the one type and
 * description its name has everywhere ({@link #PATH_PARAMETERS});</li>
 * <li>declares the error answers the service gives (problem documents, or ONLYOFFICE envelopes under
 * {@code /api/2.0/mail/}) with the shared {@code Problem} / {@code OnlyofficeError} schemas;</li>
 * <li>drops bodies from HEAD answers.</li>
 * </ul>
 * It also sets {@code info.version} to the service's version. It runs when the service is built:
 * the document is complete in the package, and start-up only loads it (run at start, it cost a
 * fifth of the start-up time).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ContractFilter implements OASFilter {

    /** OX realm (as the resources name it) → who it admits. {@code basicAuth} is OX's end-user realm. */
    static final Map<String, String> OX_REALMS = Map.of(
            "contextAdminAuth", "the admin of the context in the path (login `oxadmin` on such paths, `oxadmin@<contextId|contextName>` anywhere), "
                    + "the reseller owning the context or one above it; the master admin only with MASTER_ACCOUNT_OVERRIDE.",
            "contextAdminOnlyAuth", "the admin of the context in the path, or the reseller owning it or one above it.",
            "resellerAdminAuth", "resellers, within their own brand tree; the master admin with MASTER_ACCOUNT_OVERRIDE "
                    + "(provisioning of resellers and contexts and the audit log always admit it); never a context admin.",
            "tennantAuth", "the tenant credentials of the brand that owns the addressed user.",
            "basicAuth", "the end user: own login and password (basicAuth), or a session token from POST /api/2.0/authentication (bearerAuth).");

    private record PathParameter(Schema schema, String description) {
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1);
    }

    private static Schema integer(String format) {
        return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format(format).minimum(java.math.BigDecimal.ONE);
    }

    /** Every path parameter name the API uses, with its one type and description. */
    private static final Map<String, PathParameter> PATH_PARAMETERS = Map.of(
            "id", new PathParameter(integer("int64"), "the reseller's id"),
            "contextid", new PathParameter(string(), "the context's numeric id or its name"),
            "userid", new PathParameter(integer("int32"), "the user's id within the context (from 3; 2 is the context admin)"),
            "groupid", new PathParameter(integer("int32"), "the group's id within the context"),
            "mailboxId", new PathParameter(integer("int64"), "the external mail account's mailboxId"),
            "mailbox_id", new PathParameter(integer("int64"), "the Exchange-style mailbox's mailbox_id"),
            "alias", new PathParameter(string().maxLength(254), "the alias address"),
            "recipient", new PathParameter(string().maxLength(254), "the recipient address"),
            "domain", new PathParameter(string().maxLength(253), "the domain name (IDN or punycode)"),
            "entry", new PathParameter(string().maxLength(254), "an address, *@domain or a domain"));

    private static final Set<String> WRITES = Set.of("PUT", "POST", "DELETE", "PATCH");

    /** The error answers, by status: component name and description. */
    private static final Map<Integer, String[]> ERRORS = Map.of(
            400, new String[] {"BadRequest", "The request is invalid (code VALIDATION_FAILED, MALFORMED_JSON, UNKNOWN_FIELD, INVALID_TYPE, INVALID_ID, MAIL_VERIFICATION_FAILED, ...); errors names the fields."},
            401, new String[] {"Unauthorized", "No or unknown credentials (UNAUTHENTICATED)."},
            403, new String[] {"Forbidden", "The caller's realm may not do this (FORBIDDEN)."},
            404, new String[] {"NotFound", "The resource does not exist, or belongs to a tenant the caller cannot see (*_NOT_FOUND, ATTRIBUTE_NOT_SET)."},
            409, new String[] {"Conflict", "The request conflicts with the stored state (*_EXISTS, *_IN_USE, LIMIT_EXCEEDED, CONCURRENT_MODIFICATION)."},
            412, new String[] {"PreconditionFailed", "If-Match names an older version (PRECONDITION_FAILED)."},
            413, new String[] {"PayloadTooLarge", "The request body is larger than the service accepts (PAYLOAD_TOO_LARGE)."},
            415, new String[] {"UnsupportedMediaType", "The request body is not JSON (UNSUPPORTED_MEDIA_TYPE)."},
            429, new String[] {"TooManyRequests", "Too many failed sign-ins or too many concurrent mail-server verifications (TOO_MANY_REQUESTS); retry after Retry-After seconds."},
            503, new String[] {"ServiceUnavailable", "The service is overloaded (SERVICE_UNAVAILABLE); retry after Retry-After seconds."});

    private static final String ONLYOFFICE_PREFIX = "/api/2.0/mail/";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .ifPresent(version -> api.getInfo().setVersion(version));
        Components components = api.getComponents();
        api.getPaths().getPathItems().forEach((path, item) -> {
            List<Parameter> shared = item.getParameters() == null ? List.of() : item.getParameters();
            item.setParameters(null);
            item.getOperations().forEach((method, operation) -> {
                orderParameters(path, shared, operation);
                secure(operation);
                declareErrors(components, path, method, operation);
                if (method == PathItem.HttpMethod.HEAD) {
                    operation.getResponses().getAPIResponses().values().forEach(r -> r.setContent(null));
                }
            });
        });
        // A schema with alternatives is exactly those alternatives (generators mishandle a type next to oneOf).
        if (components.getSchemas() != null) {
            components.getSchemas().values().stream().filter(s -> s.getOneOf() != null).forEach(s -> {
                s.setType(null);
                s.setProperties(null);
            });
        }
    }

    /** Path parameters once, in URL order, typed by name; then the other parameters as declared. */
    private static void orderParameters(String path, List<Parameter> shared, Operation operation) {
        Map<String, Parameter> inPath = new LinkedHashMap<>();
        List<Parameter> others = new ArrayList<>();
        List<Parameter> all = new ArrayList<>(shared);
        if (operation.getParameters() != null) {
            all.addAll(operation.getParameters());
        }
        for (Parameter p : all) {
            if (p.getIn() == Parameter.In.HEADER && p.getName().equalsIgnoreCase("If-Match") && p.getDescription() == null) {
                p.setDescription("The ETag of the version this request means to change; 412 when the resource has changed since");
            }
            if (p.getIn() == Parameter.In.PATH) {
                inPath.put(p.getName(), p);
            } else {
                others.add(p);
            }
        }
        // Template parameters no Java parameter declares: a resource may leave one to a filter
        // (UserResource leaves {contextid} to AccessFilter, so that it needs no per-request instance).
        java.util.regex.Matcher template = java.util.regex.Pattern.compile("\\{([^}/:]+)").matcher(path);
        while (template.find()) {
            String name = template.group(1).trim();
            if (!inPath.containsKey(name) && PATH_PARAMETERS.containsKey(name)) {
                inPath.put(name, OASFactory.createParameter().name(name).in(Parameter.In.PATH));
            }
        }
        List<Parameter> ordered = new ArrayList<>();
        inPath.values().stream().sorted(Comparator.comparingInt(p -> path.indexOf("{" + p.getName() + "}")))
                .forEach(p -> {
                    PathParameter known = PATH_PARAMETERS.get(p.getName());
                    Parameter typed = OASFactory.createParameter().name(p.getName()).in(Parameter.In.PATH).required(true)
                            .description(known != null ? known.description() : p.getDescription())
                            .schema(known != null ? known.schema() : p.getSchema());
                    ordered.add(typed);
                });
        ordered.addAll(others);
        operation.setParameters(ordered.isEmpty() ? null : ordered);
    }

    /** The OX realm named by the resource → the HTTP schemes it uses, x-ox-auth and a sentence in the description. */
    private static void secure(Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            return;
        }
        String realm = operation.getSecurity().get(0).getSchemes().keySet().iterator().next();
        String admits = OX_REALMS.get(realm);
        if (admits == null) {
            return;
        }
        List<SecurityRequirement> security = new ArrayList<>();
        security.add(OASFactory.createSecurityRequirement().addScheme("basicAuth"));
        if (realm.equals("basicAuth")) {
            security.add(OASFactory.createSecurityRequirement().addScheme("bearerAuth"));
        }
        operation.setSecurity(security);
        operation.addExtension("x-ox-auth", realm);
        String sentence = "Authorization (OX " + realm + "): " + admits;
        operation.setDescription(operation.getDescription() == null ? sentence : operation.getDescription() + "\n\n" + sentence);
    }

    private static void declareErrors(Components components, String path, PathItem.HttpMethod method, Operation operation) {
        boolean authenticated = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        boolean signIn = operation.getSecurity() != null && operation.getSecurity().isEmpty();
        boolean hasBody = operation.getRequestBody() != null;
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        boolean pathParams = parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH);
        boolean namingQuery = parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY
                && !Set.of("limit", "offset", "search", "field").contains(p.getName()));
        boolean ifMatch = parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.HEADER && p.getName().equalsIgnoreCase("If-Match"));
        boolean write = WRITES.contains(method.name());
        boolean onlyoffice = path.startsWith(ONLYOFFICE_PREFIX);

        APIResponses responses = operation.getResponses();
        // SmallRye's generic "400 Bad Request" (from bean validation) gives way to the typed one.
        responses.removeAPIResponse("400");
        List<Integer> statuses = new ArrayList<>();
        if (!parameters.isEmpty() || hasBody) {
            statuses.add(400);
        }
        if (authenticated || signIn) {
            statuses.add(401);
        }
        if (authenticated) {
            statuses.add(403);
        }
        if (authenticated && (pathParams || namingQuery || write)) {
            statuses.add(404);
        }
        if (authenticated && write && !path.startsWith("/api/2.0/authentication")) {
            statuses.add(409);
        }
        if (ifMatch) {
            statuses.add(412);
        }
        if (hasBody) {
            statuses.add(413);
            statuses.add(415);
        }
        statuses.add(429);
        statuses.add(503);
        for (int status : statuses) {
            String key = Integer.toString(status);
            if (responses.hasAPIResponse(key)) {
                continue;
            }
            if (method == PathItem.HttpMethod.HEAD) {
                responses.addAPIResponse(key, errorResponse(status, false, false));
            } else {
                String name = (onlyoffice ? "Onlyoffice" : "") + ERRORS.get(status)[0];
                if (components.getResponses() == null || !components.getResponses().containsKey(name)) {
                    components.addResponse(name, errorResponse(status, true, onlyoffice));
                }
                responses.addAPIResponse(key, OASFactory.createAPIResponse().ref("#/components/responses/" + name));
            }
        }
    }

    private static APIResponse errorResponse(int status, boolean withBody, boolean onlyoffice) {
        APIResponse response = OASFactory.createAPIResponse().description(ERRORS.get(status)[1]);
        if (status == 401) {
            response.addHeader("WWW-Authenticate", headerRef("WWW-Authenticate"));
        }
        if (status == 429 || status == 503) {
            response.addHeader("Retry-After", headerRef("Retry-After"));
        }
        if (withBody) {
            Content content = OASFactory.createContent();
            if (onlyoffice) {
                Schema envelope = OASFactory.createSchema().ref("#/components/schemas/OnlyofficeError");
                content.addMediaType("application/json", OASFactory.createMediaType().schema(envelope));
                content.addMediaType("application/xml", OASFactory.createMediaType().schema(envelope));
            } else {
                content.addMediaType("application/problem+json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
            }
            response.setContent(content);
        }
        return response;
    }

    private static Header headerRef(String name) {
        return OASFactory.createHeader().ref("#/components/headers/" + name);
    }
}
