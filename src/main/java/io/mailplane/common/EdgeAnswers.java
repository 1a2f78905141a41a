package io.mailplane.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.json.Json;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.MDC;

/**
 * Answers that the HTTP edge gives itself, below the REST layer: the same problem document (or the
 * ONLYOFFICE envelope under {@code /api/2.0/mail/}) that {@link ProblemMapper} produces, with the
 * request id. Also names requests for the metrics: every request carries a path template (or
 * {@link #UNMATCHED}) so that no raw path becomes a metric tag.
 */
final class EdgeAnswers {
    /** The longest caller's request id kept; a sane id is 1 to 64 of {@code [A-Za-z0-9._:-]}. */
    private static final int MAX_ID = 64;
    /** Key of the request's Vert.x context local that Quarkus' HTTP metrics read as the {@code uri} tag. */
    static final String URL_PATH_TEMPLATE = "UrlPathTemplate";
    /** The {@code uri} tag of every request that matches no path template of the API. */
    static final String UNMATCHED = "UNMATCHED";

    private EdgeAnswers() {
    }

    /** The request's id: the caller's {@code X-Request-Id} when it is sane, a new one otherwise (then set on the request). */
    static String requestId(HttpServerRequest request) {
        String id = request.getHeader(ProblemMapper.REQUEST_ID);
        if (!sane(id)) {
            id = newRequestId();
            request.headers().set(ProblemMapper.REQUEST_ID, id);
        }
        request.response().putHeader(ProblemMapper.REQUEST_ID, id);
        MDC.put("requestId", id);
        return id;
    }

    /**
     * A random (version 4) UUID. A request id names a request in answers and logs and is no secret (a
     * caller may choose its own), so it comes from {@link ThreadLocalRandom}: {@link UUID#randomUUID()}
     * draws on the shared {@code SecureRandom}, which takes a lock and reads {@code /dev/urandom} every
     * other request.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** Whether the caller's id may be kept: 1 to 64 of {@code [A-Za-z0-9._:-]} (checked without a regex: it runs on every request). */
    static boolean sane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
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
