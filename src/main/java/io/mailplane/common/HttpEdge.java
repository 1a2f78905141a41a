package io.mailplane.common;

import io.mailplane.common.RouteTable.Match;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.ManagementInterface;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs first for every HTTP request: gives it a request id (the caller's {@code X-Request-Id}
 * when it is sane, a new one otherwise) that is echoed on every response, and serves the OX
 * gateway prefix {@code /api/oxaas/} exactly as {@code /oxaas/}; refuses oversize bodies with a
 * problem response before reading them (chunked bodies as soon as they pass the limit); serves
 * ONLYOFFICE's {@code .xml}/{@code .json} path suffixes under {@code /api/2.0/mail/} as the plain
 * path with that {@code Accept}; answers a method that no resource declares for the path with
 * {@code 405} and {@code Allow}, and {@code OPTIONS} with the path's {@code Allow}; names every
 * request in the HTTP metrics by its path template (or {@code UNMATCHED}), never by its raw path.
 *
 * <p>Failures of the HTTP layer below the REST resources (a path Vert.x cannot route, a missing
 * {@code Host}) get the same problem answers from {@link #failed}; requests that are not even
 * valid HTTP get them from {@link MalformedRequests}.
 */
@ApplicationScoped
public class HttpEdge {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    private static final String GATEWAY_PREFIX = "/api/oxaas/";
    private static final String MANAGEMENT_ROOT = "/q/";
    /** How long, and how much of an unwanted body, a refusing close reads and drops before it closes. */
    private static final long LINGER_MILLIS = 2_000;
    private static final long LINGER_BYTES = 16L * 1024 * 1024;
    static final String TOO_LARGE = "The request body is larger than the service accepts.";
    /** Routing-context flag: the edge read a chunked body into the routing context ({@link EdgeBody} hands it on). */
    static final String BUFFERED_BODY = "mailplane.buffered-body";

    /** Bodies above this are refused with a problem response; the HTTP layer's own, larger limit backs it up. */
    @Inject
    MailplaneConfig config;
    @Inject
    RouteTable routes;

    private BodyHandler chunkedBodies;
    /** {@code mailplane.http.max-body-size} in bytes, read once (runtime configuration does not change). */
    private long maxBodySize;

    @PostConstruct
    void init() {
        maxBodySize = config.http().maxBodySize().asLongValue();
        chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodySize);
    }

    void register(@Observes Filters filters) {
        filters.register(this::edge, 10_000);
    }

    /**
     * Before Quarkus' own failure handler, which answers in its own format and logs client errors at
     * ERROR; and for failures that no route can take because the path cannot even be matched.
     */
    void failures(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failed);
        for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503}) {
            router.errorHandler(status, this::unhandled);
        }
    }

    /**
     * Health and metrics answers carry a request id too. Requests under {@code /q/} are left out of the
     * HTTP metrics (Quarkus ignores non-application paths); any other path there counts as UNMATCHED.
     */
    void management(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(rc -> {
            EdgeAnswers.requestId(rc.request());
            String path = rc.request().path();
            if (path == null || !path.startsWith(MANAGEMENT_ROOT)) {
                EdgeAnswers.tagForMetrics(rc.request(), null);
            }
            rc.next();
        });
    }

    void edge(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String id = EdgeAnswers.requestId(request);
        String path = request.path();
        Optional<Match> match = routes.match(normalizedPath(rc));
        EdgeAnswers.tagForMetrics(request, match.isPresent() ? match.get().template() : null);
        String length = request.getHeader("Content-Length");
        if (length != null && declaredLength(length) > maxBodySize) {
            refuseAndClose(rc, new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, TOO_LARGE), id);
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
        if (match.isPresent()) {
            String method = request.method().name();
            Match route = match.get();
            if (method.equals("OPTIONS") && !route.methods().contains("OPTIONS")) {
                request.response().setStatusCode(200).putHeader("Allow", route.allowHeader()).end();
                return;
            }
            if (!route.allows(method)) {
                String allow = route.allowHeader();
                request.response().putHeader("Allow", allow);
                ApiException refusal = new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                        method + " is not allowed on this resource; it allows " + allow + ".");
                if (mayHaveBody(request)) {
                    refuseAndClose(rc, refusal, id);
                } else {
                    EdgeAnswers.refuse(request, path, refusal, id, false);
                }
                return;
            }
        }
        if (request.headers().contains("Transfer-Encoding") && !request.isEnded()) {
            // a body of unknown length: read it here, up to the limit, so that it is refused like any other
            rc.put(BUFFERED_BODY, true);
            chunkedBodies.handle(rc);
            return;
        }
        rc.next();
    }

    /**
     * Failures below the REST layer: Vert.x refuses a path it cannot normalise or a request without
     * {@code Host} (400) before any route runs; the chunked-body limit fails with 413. Security's own
     * failures go on to Quarkus' handlers.
     */
    void failed(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (failure instanceof HttpClosedException) {
            LOG.debugf("connection closed before the request was read: %s", rc.request().path());
            return;
        }
        if (rc.response().ended() || rc.response().headWritten() || isSecurity(failure)) {
            rc.next();
            return;
        }
        answer(rc);
    }

    /** The router's last resort: a failure no failure handler took (e.g. the path cannot be normalised). */
    void unhandled(RoutingContext rc) {
        if (!rc.response().ended() && !rc.response().headWritten()) {
            answer(rc);
        }
    }

    private void answer(RoutingContext rc) {
        Throwable failure = rc.failure();
        HttpServerRequest request = rc.request();
        String id = EdgeAnswers.requestId(request);
        EdgeAnswers.tagForMetrics(request, routes.match(normalizedPath(rc)).map(Match::template).orElse(null));
        int status = rc.statusCode();
        if (status == 413) {
            refuseAndClose(rc, new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, TOO_LARGE), id);
        } else if (status >= 400 && status < 500) {
            LOG.debugf("request refused by the HTTP layer (%d): %s", status, failure == null ? "" : failure.getMessage());
            ErrorCode code = ErrorCode.forStatus(status);
            String detail = switch (code) {
                case BAD_REQUEST -> MalformedRequests.NOT_HTTP;
                case NOT_FOUND -> "No resource at this path.";
                default -> code.title + ".";
            };
            EdgeAnswers.refuse(request, request.path(), new ApiException(code, detail), id, false);
        } else {
            LOG.errorf(failure, "request failed in the HTTP layer (%d)", status);
            EdgeAnswers.refuse(request, request.path(), new ApiException(ErrorCode.INTERNAL_ERROR,
                    "The request could not be completed."), id, false);
        }
    }

    /**
     * Answers and then closes the connection: the unread body is not worth keeping. The close lingers,
     * as Apache's and nginx's do: what the client still sends is read and dropped for up to
     * {@link #LINGER_MILLIS} or {@link #LINGER_BYTES}, so that a client that writes its whole body
     * before it reads (most HTTP libraries) gets the answer rather than a connection reset.
     */
    private static void refuseAndClose(RoutingContext rc, ApiException refusal, String id) {
        HttpServerRequest request = rc.request();
        EdgeAnswers.refuse(request, request.path(), refusal, id, true).onComplete(written -> linger(rc));
    }

    private static void linger(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpConnection connection = request.connection();
        if (request.isEnded()) {
            connection.close();
            return;
        }
        long timer = rc.vertx().setTimer(LINGER_MILLIS, t -> connection.close());
        Runnable close = () -> {
            rc.vertx().cancelTimer(timer);
            connection.close();
        };
        long[] dropped = {0};
        try {
            request.handler(chunk -> {
                dropped[0] += chunk.length();
                if (dropped[0] > LINGER_BYTES) {
                    close.run();
                }
            });
            request.exceptionHandler(e -> close.run());
            request.endHandler(end -> close.run());
            request.resume();
        } catch (IllegalStateException alreadyRead) {
            close.run();
        }
    }

    /** The path as Vert.x normalised it (dot segments resolved), or {@code null} if it cannot be. */
    private static String normalizedPath(RoutingContext rc) {
        try {
            return rc.normalizedPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A {@code Content-Length} of 1 to 18 digits as a number; -1 for any other (Vert.x refuses those itself). */
    static long declaredLength(String length) {
        int digits = length.length();
        if (digits == 0 || digits > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits; i++) {
            char c = length.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean mayHaveBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.headers().contains("Transfer-Encoding") || (length != null && !length.equals("0"));
    }

    private static boolean isSecurity(Throwable failure) {
        String type = failure == null ? "" : failure.getClass().getName();
        return type.startsWith("io.quarkus.security.") || type.startsWith("io.quarkus.vertx.http.runtime.security.");
    }
}
