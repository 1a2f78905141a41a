package io.mailplane.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The wire conventions of ONLYOFFICE's {@code /api/2.0/mail/} API: every answer is an envelope,
 * {@code {"count","status":0,"statusCode","response"}} on success and
 * {@code {"status":1,"statusCode","error":{"message","code",...}}} on failure; JSON unless the
 * client asks for XML, which {@link OnlyofficeXmlWriter} renders as {@code <result>}.
 */
public final class Onlyoffice {
    Onlyoffice() {
    }

    public static final String PATH_PREFIX = "/api/2.0/mail/";

    @JsonPropertyOrder({"count", "status", "statusCode", "response", "error"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Envelope<T>(Integer count, int status, int statusCode, T response, Map<String, Object> error) {

        public static <T> Envelope<T> ok(int statusCode, T response) {
            int count = response instanceof Collection<?> c ? c.size() : 1;
            return new Envelope<>(count, 0, statusCode, response, null);
        }

        static Envelope<Void> error(ApiException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", e.getMessage());
            error.put("code", e.code.name());
            error.putAll(e.details);
            if (!e.errors.isEmpty()) {
                error.put("errors", List.copyOf(e.errors));
            }
            return new Envelope<>(null, 1, e.code.status, null, error);
        }
    }

    /** The HTTP status of a successful answer is the envelope's {@code statusCode}, so the two always agree. */
    @ServerResponseFilter
    public void statusFromEnvelope(ContainerResponseContext response) {
        if (response.getEntity() instanceof Envelope<?> envelope && envelope.status() == 0) {
            response.setStatus(envelope.statusCode());
        }
    }

    static boolean applies(String path) {
        return path != null && path.startsWith(PATH_PREFIX);
    }

    /** XML when the client's Accept names XML and not JSON; JSON otherwise. */
    static MediaType negotiate(HttpHeaders headers) {
        String accept = headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("xml") && !accept.contains("json")) {
            return accept.contains("text/xml") && !accept.contains("application/xml") ? MediaType.TEXT_XML_TYPE : MediaType.APPLICATION_XML_TYPE;
        }
        return MediaType.APPLICATION_JSON_TYPE;
    }
}
