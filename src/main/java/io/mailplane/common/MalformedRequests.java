package io.mailplane.common;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.arc.Unremovable;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.inject.Singleton;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Answers requests that are not valid HTTP (a bare CR, LF or NUL in a header, a space or control
 * character in the request target, an over-long request line or header block) like every other
 * refusal: problem+json (or the ONLYOFFICE envelope) with a request id, then the connection is
 * closed, as the parser cannot go on.
 *
 * <p>Vert.x hands such requests to its server's {@code invalidRequestHandler}, whose default answers
 * with an empty body, and Quarkus offers no way to set that handler. Vert.x does call the request
 * tracer for them too, just before it picks the handler from the request's connection; this tracer
 * sets ours there. (It traces nothing; Quarkus installs no tracer without OpenTelemetry, which would
 * replace this one.) Targets that Netty decodes but Quarkus' root refuses (see {@link #markInvalid})
 * take the same way. {@code MalformedRequestsTest} fails if an upgrade of Vert.x or Quarkus changes
 * any of this.
 */
@Singleton
@Unremovable
public class MalformedRequests implements VertxOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);
    static final String NOT_HTTP = "The request is not valid HTTP.";
    private static final boolean DISABLE_URI_VALIDATION = Boolean.getBoolean("vertx.disableURIValidation");
    /** {@code Http1xServerRequest#nettyRequest()}: the decoded request whose result Vert.x checks next. */
    private static final MethodHandle NETTY_REQUEST = nettyRequestAccessor();

    @Override
    public void accept(VertxOptions options) {
        options.setTracingOptions(new TracingOptions().setFactory(ignored -> new InvalidRequestHook()));
    }

    static final class InvalidRequestHook implements VertxTracer<Object, Object> {
        @Override
        public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                         Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
            if (request instanceof HttpServerRequest http && http.connection() instanceof HttpServerConnection connection) {
                DecoderResult result = http.decoderResult();
                if (result != null && result.isSuccess() && !uriValid(http.uri())) {
                    result = markInvalid(http);
                }
                if (result != null && result.isFailure()) {
                    connection.invalidRequestHandler(MalformedRequests::answer);
                }
            }
            return null;
        }
    }

    /**
     * Quarkus' HTTP root refuses a target that {@link URI} cannot parse (a control character, a quote,
     * a broken percent-escape) with an empty 400 before any route runs. Such a request is marked as
     * not decodable instead, so that Vert.x hands it to {@link #answer}, which refuses it the same way
     * but in the API's format.
     */
    private static DecoderResult markInvalid(HttpServerRequest request) {
        if (NETTY_REQUEST == null || !NETTY_REQUEST.type().parameterType(0).isInstance(request)) {
            return request.decoderResult();
        }
        try {
            HttpRequest netty = (HttpRequest) NETTY_REQUEST.invoke(request);
            netty.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid request target")));
            return netty.decoderResult();
        } catch (Throwable e) {
            return request.decoderResult();
        }
    }

    /** As Quarkus' HTTP root checks the target (unless {@code vertx.disableURIValidation} is set). */
    static boolean uriValid(String uri) {
        if (uri == null) {
            return false;
        }
        if (DISABLE_URI_VALIDATION) {
            return true;
        }
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static MethodHandle nettyRequestAccessor() {
        try {
            Method method = Class.forName("io.vertx.core.http.impl.Http1xServerRequest").getDeclaredMethod("nettyRequest");
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Logger.getLogger(MalformedRequests.class).warnf("requests with an invalid target will get Quarkus' empty 400: %s", e);
            return null;
        }
    }

    static void answer(HttpServerRequest request) {
        try {
            String id = EdgeAnswers.requestId(request);
            EdgeAnswers.tagForMetrics(request, null);
            DecoderResult result = request.decoderResult();
            Throwable cause = result == null ? null : result.cause();
            ApiException refusal;
            if (cause instanceof TooLongHttpLineException) {
                refusal = new ApiException(ErrorCode.URI_TOO_LONG, "The request line is longer than the service accepts.");
            } else if (cause instanceof TooLongHttpHeaderException) {
                refusal = new ApiException(ErrorCode.HEADERS_TOO_LARGE, "The request headers are larger than the service accepts.");
            } else {
                refusal = new ApiException(ErrorCode.BAD_REQUEST, NOT_HTTP);
            }
            LOG.debugf("malformed request refused (%d): %s", refusal.code.status, cause == null ? "" : cause.getMessage());
            String path;
            try {
                path = request.path();
            } catch (RuntimeException e) {
                path = null;
            }
            EdgeAnswers.refuse(request, path, refusal, id, true)
                    .onComplete(written -> request.response().close());
        } finally {
            MDC.remove("requestId");
        }
    }
}
