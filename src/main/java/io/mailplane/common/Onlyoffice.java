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

    private static final MediaType[] OFFERS = {MediaType.APPLICATION_JSON_TYPE, MediaType.APPLICATION_XML_TYPE, MediaType.TEXT_XML_TYPE};

    /** The type a successful answer would get for this Accept header: JSON, XML or text/xml, by q-value; JSON otherwise. */
    static MediaType negotiate(HttpHeaders headers) {
        return negotiate(headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT));
    }

    /** Whether an answer on this path is XML: a {@code .xml} suffix, or no {@code .json} suffix and an Accept that prefers XML. */
    static boolean answersInXml(String path, String accept) {
        return path.endsWith(".xml") || (!path.endsWith(".json") && negotiate(accept).getSubtype().equals("xml"));
    }

    static MediaType negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return MediaType.APPLICATION_JSON_TYPE;
        }
        MediaType best = null;
        double bestQ = 0;
        for (MediaType offer : OFFERS) {
            int specificity = -1;
            double q = 0;
            for (String range : accept.split(",")) {
                String[] parts = range.trim().split(";");
                String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
                double rq = 1;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim();
                    if (p.startsWith("q=")) {
                        try {
                            rq = Double.parseDouble(p.substring(2));
                        } catch (NumberFormatException e) {
                            rq = 0;
                        }
                    }
                }
                int s = type.equals(offer.getType() + "/" + offer.getSubtype()) ? 2
                        : type.equals(offer.getType() + "/*") ? 1 : type.equals("*/*") ? 0 : -1;
                if (s > specificity) {
                    specificity = s;
                    q = rq;
                }
            }
            if (specificity >= 0 && q > bestQ) {
                best = offer;
                bestQ = q;
            }
        }
        return best == null ? MediaType.APPLICATION_JSON_TYPE : best;
    }
}
