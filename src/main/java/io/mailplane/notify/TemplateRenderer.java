package io.mailplane.notify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.ApiException;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.IfSectionHelper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.ValueResolvers;
import io.quarkus.qute.Variant;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses, checks and renders notification templates with a Qute engine of its own, deliberately
 * small: the only section is {@code {#if}} (with {@code {#else}}), expressions read the
 * {@link #VARIABLES} of a mail and may fall back with {@code ?:} / {@code or}. No namespaces
 * ({@code inject:}, {@code config:}), includes, loops or evaluation: a brand's template can only
 * read what its mail is about. A template is checked when it is stored ({@link #check}), so what
 * is stored always renders; the HTML part is rendered with Qute's HTML escaping of every value.
 */
@ApplicationScoped
public class TemplateRenderer {
    /** Every variable a template may use; those a mail does not have are empty. */
    public static final Set<String> VARIABLES = Set.of("display_name", "login", "address", "quota", "usage",
            "brand", "brand_name", "quota_threshold");
    private static final Set<String> FALLBACK_METHODS = Set.of("?:", "or");
    private static final Variant TEXT = Variant.forContentType(Variant.TEXT_PLAIN);
    private static final Variant HTML = Variant.forContentType(Variant.TEXT_HTML);

    private final Engine engine = Engine.builder()
            .addSectionHelper(new IfSectionHelper.Factory())
            .addValueResolvers(ValueResolvers.mapResolver(), ValueResolvers.orResolver())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            .strictRendering(true)
            .build();
    /** Parsed templates by part and source: parsing on every mail would cost more than rendering. */
    private final Cache<String, Template> parsed = Caffeine.newBuilder().maximumSize(2_000).build();

    /** A template's three parts; {@code html} may be null. */
    public record Parts(String subject, String text, String html) {
    }

    /**
     * 400 unless every part parses and renders, with every variable set and with none set. The
     * field of the error names the part ({@code subject}, {@code text}, {@code html}).
     */
    public void check(Parts parts) {
        Map<String, Object> sample = new HashMap<>();
        VARIABLES.forEach(v -> sample.put(v, v.equals("quota") || v.equals("usage") || v.equals("quota_threshold") ? 1000L : "x"));
        for (Map<String, Object> data : List.of(sample, variables(Map.of()))) {
            render(parts, data, true);
        }
    }

    /** The mail these parts make of these variables (missing ones are empty). */
    public Parts render(Parts parts, Map<String, Object> values) {
        return render(parts, variables(values), false);
    }

    private Parts render(Parts parts, Map<String, Object> data, boolean checking) {
        String subject = render("subject", parts.subject(), false, data, checking);
        String text = render("text", parts.text(), false, data, checking);
        String html = parts.html() == null ? null : render("html", parts.html(), true, data, checking);
        // a subject is one header line, whatever the values held
        return new Parts(subject.replaceAll("[\\r\\n]+", " ").strip(), text, html);
    }

    private String render(String field, String source, boolean html, Map<String, Object> data, boolean checking) {
        Template template = checking ? parse(field, source, html)
                : parsed.get((html ? "h:" : "t:") + source, k -> parse(field, source, html));
        try {
            return template.data(data).render();
        } catch (TemplateException e) {
            throw ApiException.invalid(field, "does not render: " + brief(e));
        }
    }

    private Template parse(String field, String source, boolean html) {
        Template template;
        try {
            template = engine.parse(source, html ? HTML : TEXT);
        } catch (TemplateException e) {
            throw ApiException.invalid(field, "does not parse: " + brief(e));
        }
        for (Expression expression : template.getExpressions()) {
            checkExpression(field, expression);
        }
        return template;
    }

    /** A literal, or an allowed variable optionally followed by fallbacks ({@code ?:}, {@code or}) to such expressions. */
    private static void checkExpression(String field, Expression expression) {
        if (expression.isLiteral()) {
            return;
        }
        String original = "{" + expression.toOriginalString() + "}";
        if (expression.hasNamespace()) {
            throw ApiException.invalid(field, original + ": namespaces are not allowed; variables: " + allowed());
        }
        List<Expression.Part> parts = expression.getParts();
        if (parts.isEmpty() || parts.get(0).isVirtualMethod() || !VARIABLES.contains(parts.get(0).getName())) {
            throw ApiException.invalid(field, original + ": unknown variable; variables: " + allowed());
        }
        for (Expression.Part part : parts.subList(1, parts.size())) {
            if (!part.isVirtualMethod() || !FALLBACK_METHODS.contains(part.getName())) {
                throw ApiException.invalid(field, original + ": only a variable or a fallback (?:) is allowed; variables: " + allowed());
            }
            for (Expression parameter : part.asVirtualMethod().getParameters()) {
                checkExpression(field, parameter);
            }
        }
    }

    private static String allowed() {
        return String.join(", ", new TreeSet<>(VARIABLES));
    }

    /** Every variable, those not given as null (rendered empty; false in {@code {#if}}). */
    private static Map<String, Object> variables(Map<String, Object> values) {
        Map<String, Object> data = new LinkedHashMap<>();
        VARIABLES.forEach(v -> data.put(v, values.get(v)));
        return data;
    }

    /** Qute's message, first line, bounded (it may quote the template back). */
    private static String brief(TemplateException e) {
        String message = e.getMessage() == null ? "invalid template" : e.getMessage().lines().findFirst().orElse("invalid template");
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
