package io.mailplane.common;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Every path template of the REST API with the HTTP methods it answers, read once at start-up from
 * the JAX-RS resource classes. The HTTP edge uses it to answer {@code 405} with {@code Allow} and
 * {@code OPTIONS} before the REST layer (which sets no {@code Allow} and answers {@code 404} for a
 * method no resource declares), and to tag request metrics with the template instead of the raw
 * path.
 *
 * <p>Methods hidden from the API document ({@code @Operation(hidden = true)}, such as spellings
 * kept for OX clients) are served all the same, so they are routes here too. OX has no DELETE for
 * {@code uidname}, {@code antivirus} and {@code quotamode}: no method declares one, so the edge
 * answers 405 with {@code Allow} for them.
 *
 * <p>Matching runs on every request, so it uses no regular expression per template: see
 * {@link RouteIndex}.
 */
@Startup
@ApplicationScoped
public class RouteTable {
    private static final Logger LOG = Logger.getLogger(RouteTable.class);

    /** One path template, the methods its resource methods declare, and its position among the templates. */
    public record Route(String template, Pattern pattern, Set<String> methods, int literalChars, int index) {
    }

    /** The routes whose template matches one path, with the union of their methods. */
    public record Match(String template, Set<String> methods) {
        /** Whether a request with this method is served on the path (HEAD with GET, OPTIONS always). */
        public boolean allows(String method) {
            return methods.contains(method) || method.equals("OPTIONS") || (method.equals("HEAD") && methods.contains("GET"));
        }

        /** The {@code Allow} header value: the declared methods, HEAD with GET, and OPTIONS. */
        public String allowHeader() {
            Set<String> all = new TreeSet<>(methods);
            if (all.contains("GET")) {
                all.add("HEAD");
            }
            all.add("OPTIONS");
            return String.join(", ", all);
        }

        /** The {@code Allow} header for a {@code 405} answer to {@code refused}, which it cannot name. */
        public String allowHeaderWithout(String refused) {
            List<String> names = new ArrayList<>(List.of(allowHeader().split(", ")));
            names.remove(refused);
            return String.join(", ", names);
        }
    }

    @Inject
    BeanManager beans;

    private volatile RouteIndex index = RouteIndex.of(Map.of());

    @jakarta.annotation.PostConstruct
    void build() {
        List<Class<?>> types = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            types.add(bean.getBeanClass());
        }
        index = RouteIndex.of(templates(types));
        LOG.debugf("%d path templates", index.routes.size());
    }

    public List<Route> routes() {
        return index.routes;
    }

    /**
     * The routes matching {@code path} (raw, as on the wire, without query): the most literal template
     * among them (for metrics) and the union of their methods; empty if no template matches.
     */
    public Optional<Match> match(String path) {
        return index.match(path);
    }

    /** Every path template of the root resource classes among {@code types}, with the HTTP methods declared for it, in declaration order. */
    static Map<String, Set<String>> templates(Iterable<Class<?>> types) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (Class<?> type : types) {
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String template = join(root.value(), sub == null ? "" : sub.value());
                methods.computeIfAbsent(template, t -> new TreeSet<>()).add(verb);
            }
        }
        return methods;
    }

    private static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod designator = a.annotationType().getAnnotation(HttpMethod.class);
            if (designator != null) {
                return designator.value().toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }

    static String join(String root, String sub) {
        String joined = "/" + root + "/" + sub;
        joined = joined.replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
