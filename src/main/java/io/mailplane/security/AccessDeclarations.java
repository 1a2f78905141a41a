package io.mailplane.security;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks at start-up that every endpoint declares its tenant boundary: a path parameter whose name
 * mentions a context must be the {@link Access#context()} of the endpoint's rule, and a declared
 * context must be a parameter of its path. A resource that gets this wrong stops the boot, so an
 * endpoint can never skip the context check by naming its parameter differently.
 */
@Startup
@ApplicationScoped
public class AccessDeclarations {
    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*([A-Za-z][\\w.-]*)\\s*(?::[^}]*)?}");

    private final BeanManager beans;

    public AccessDeclarations(BeanManager beans) {
        this.beans = beans;
    }

    @PostConstruct
    void check() {
        List<String> problems = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                problems.addAll(violations(bean.getBeanClass()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Endpoints with an undeclared tenant boundary: " + String.join("; ", problems));
        }
    }

    /** What is wrong with the access declarations of one resource class; empty when nothing is. */
    public static List<String> violations(Class<?> resource) {
        Path root = resource.getAnnotation(Path.class);
        List<String> problems = new ArrayList<>();
        if (root == null) {
            return problems;
        }
        for (Method method : resource.getMethods()) {
            if (!isEndpoint(method) || method.isAnnotationPresent(PermitAll.class) || resource.isAnnotationPresent(PermitAll.class)) {
                continue;
            }
            Path sub = method.getAnnotation(Path.class);
            String template = root.value() + (sub == null ? "" : "/" + sub.value());
            Set<String> parameters = parameters(template);
            Access access = method.isAnnotationPresent(Access.class) ? method.getAnnotation(Access.class) : resource.getAnnotation(Access.class);
            String endpoint = resource.getSimpleName() + "." + method.getName() + " (" + template + ")";
            if (access == null) {
                problems.add(endpoint + " declares no @Access");
                continue;
            }
            String declared = access.context();
            for (String parameter : parameters) {
                if (parameter.toLowerCase(Locale.ROOT).contains("context") && !parameter.equals(declared)) {
                    problems.add(endpoint + " names a context in {" + parameter + "} but its @Access does not declare context = \"" + parameter + "\"");
                }
            }
            if (!declared.isEmpty() && !parameters.contains(declared)) {
                problems.add(endpoint + " declares context = \"" + declared + "\", which is not a parameter of its path");
            }
        }
        return problems;
    }

    static Set<String> parameters(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PARAMETER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean isEndpoint(Method method) {
        for (Annotation a : method.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
