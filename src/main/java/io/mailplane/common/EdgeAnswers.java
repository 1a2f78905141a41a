package io.mailplane.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.json.Json;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Answers that the HTTP edge gives itself, below the REST layer: the same problem document (or the
 * ONLYOFFICE envelope under {@code /api/2.0/mail/}) that {@link ProblemMapper} produces, with the
 * request id. Also names requests for the metrics: every request carries a path template (or
 * {@link #UNMATCHED}) so that no raw path becomes a metric tag.
 */
final class EdgeAnswers {
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Key of the request's Vert.x context local that Quarkus' HTTP metrics read as the {@code uri} tag. */
    static final String URL_PATH_TEMPLATE = "UrlPathTemplate";
    /** The {@code uri} tag of every request that matches no path template of the API. */
    static final String UNMATCHED = "UNMATCHED";

    private EdgeAnswers() {
    }

    /** The request's id: the caller's {@code X-Request-Id} when it is sane, a new one otherwise (then set on the request). */
    static String requestId(HttpServerRequest request) {
        String id = request.getHeader(ProblemMapper.REQUEST_ID);
        if (id == null || !SANE_ID.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
            request.headers().set(ProblemMapper.REQUEST_ID, id);
        }
        request.response().putHeader(ProblemMapper.REQUEST_ID, id);
        MDC.put("requestId", id);
        return id;
    }

    /** Names the request in the HTTP metrics; the REST layer replaces it with the resource method's template. */
    static void tagForMetrics(HttpServerRequest request, String template) {
        if (request instanceof HttpServerRequestInternal internal) {
            Context context = internal.context();
            if (context != null) {
                context.putLocal(URL_PATH_TEMPLATE, template == null ? UNMATCHED : template);
            }
        }
    }

    /**
     * Ends the response with {@code refusal} as problem+json, or as the ONLYOFFICE envelope (JSON, or XML
     * for a {@code .xml} path or an XML {@code Accept}) for paths under {@code /api/2.0/mail/}.
     */
    static Future<Void> refuse(HttpServerRequest request, String path, ApiException refusal, String requestId, boolean close) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            return Future.succeededFuture();
        }
        String type;
        String body;
        if (Onlyoffice.applies(path)) {
            boolean xml = Onlyoffice.answersInXml(path, request.getHeader("Accept"));
            body = xml ? OnlyofficeXmlWriter.render(Onlyoffice.Envelope.error(refusal)) : Json.encode(Onlyoffice.Envelope.error(refusal));
            type = xml ? "application/xml;charset=UTF-8" : "application/json";
        } else {
            body = Json.encode(Problem.of(refusal.code, refusal.getMessage(), requestId, refusal.errors, refusal.details));
            type = Problem.MEDIA_TYPE;
        }
        response.setStatusCode(refusal.code.status).putHeader("Content-Type", type)
                .putHeader(ProblemMapper.REQUEST_ID, requestId);
        if (refusal.retryAfterSeconds != null) {
            response.putHeader("Retry-After", String.valueOf(refusal.retryAfterSeconds));
        }
        if (close) {
            response.putHeader("Connection", "close");
        }
        return response.end(body);
    }
}
