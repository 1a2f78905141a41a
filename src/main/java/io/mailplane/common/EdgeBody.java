package io.mailplane.common;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Hands a chunked body that {@link HttpEdge} read (and bounded) to the REST layer, which would otherwise find the request already consumed. */
public class EdgeBody {

    @ServerRequestFilter(preMatching = true)
    public void bufferedBody(ContainerRequestContext request, RoutingContext rc) {
        if (Boolean.TRUE.equals(rc.get(HttpEdge.BUFFERED_BODY)) && rc.body() != null && rc.body().buffer() != null) {
            request.setEntityStream(new ByteArrayInputStream(rc.body().buffer().getBytes()));
        }
    }
}
