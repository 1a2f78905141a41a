package io.mailplane.common;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;
import java.util.regex.Pattern;

/**
 * Runs first for every HTTP request: gives it a request id (the caller's {@code X-Request-Id}
 * when it is sane, a new one otherwise) that is echoed on every response, and serves the OX
 * gateway prefix {@code /api/oxaas/} exactly as {@code /oxaas/}; refuses oversize bodies with a
 * problem response before reading them; serves ONLYOFFICE's {@code .xml}/{@code .json} path suffixes
 * under {@code /api/2.0/mail/} as the plain path with that {@code Accept}.
 */
@ApplicationScoped
public class HttpEdge {
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String GATEWAY_PREFIX = "/api/oxaas/";
    /** Bodies above this are refused with a problem response; the HTTP layer's own, larger limit backs it up. */
    @ConfigProperty(name = "mailplane.http.max-body-size")
    MemorySize maxBody;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            HttpServerRequest request = rc.request();
            String id = request.getHeader(ProblemMapper.REQUEST_ID);
            if (id == null || !SANE_ID.matcher(id).matches()) {
                id = UUID.randomUUID().toString();
                request.headers().set(ProblemMapper.REQUEST_ID, id);
            }
            rc.response().putHeader(ProblemMapper.REQUEST_ID, id);
            MDC.put("requestId", id);
            String length = request.getHeader("Content-Length");
            String path = request.path();
            if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBody.asLongValue()) {
                String message = "The request body is larger than the service accepts.";
                if (Onlyoffice.applies(request.path())) {
                    // ONLYOFFICE's API answers in its envelope, XML for a .xml suffix or an XML Accept
                    ApiException e = new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message);
                    boolean xml = request.path().endsWith(".xml") || (!request.path().endsWith(".json")
                            && Onlyoffice.negotiate(request.getHeader("Accept")).getSubtype().equals("xml"));
                    String body = xml ? OnlyofficeXmlWriter.render(Onlyoffice.Envelope.error(e))
                            : Json.encode(Onlyoffice.Envelope.error(e));
                    rc.response().setStatusCode(413).putHeader("Content-Type", xml ? "application/xml;charset=UTF-8" : "application/json")
                            .putHeader("Connection", "close").end(body);
                    return;
                }
                rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(Problem.of(ErrorCode.PAYLOAD_TOO_LARGE,
                        message, id, List.of())));
                return;
            }
            if (path.startsWith(Onlyoffice.PATH_PREFIX) && (path.endsWith(".xml") || path.endsWith(".json"))) {
                boolean xml = path.endsWith(".xml");
                request.headers().set("Accept", xml ? "application/xml" : "application/json");
                String query = request.query();
                rc.reroute(path.substring(0, path.lastIndexOf('.')) + (query == null ? "" : "?" + query));
                return;
            }
            String uri = request.uri();
            if (uri.startsWith(GATEWAY_PREFIX) && !rc.get("mailplane.rerouted", false)) {
                rc.put("mailplane.rerouted", true);
                rc.reroute(uri.substring(4));
                return;
            }
            rc.next();
        }, 10_000);
    }
}
