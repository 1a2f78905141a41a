package io.mailplane.notify;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.Invalidations;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.ExpectedVersion;
import io.mailplane.notify.NotificationRepository.TemplateRow;
import io.mailplane.notify.TemplateRenderer.Parts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A brand's notification templates and default locale, and which template a mail uses: for the
 * wanted locale, then its language, then {@code en}: the brand's own template, else the nearest
 * parent brand's; only when no brand of the lineage has one in any of these locales, the built-in
 * template (src/main/resources/templates/notify/{kind}/{locale}/), in the same order.
 */
@ApplicationScoped
@Transactional
public class TemplateService {
    /** The locales the service has built-in templates in, for every kind. */
    public static final List<String> BUILTIN_LOCALES = List.of("en", "de");

    public static final String BRAND = "brand";
    public static final String INHERITED = "inherited";
    public static final String BUILTIN = "builtin";

    private final NotificationRepository repository;
    private final TemplateRenderer renderer;
    private final AuditLog audit;
    private final BrandTemplates cache;
    private final Invalidations invalidations;
    private final Map<String, Parts> builtins = new HashMap<>();

    public TemplateService(NotificationRepository repository, TemplateRenderer renderer, AuditLog audit, BrandTemplates cache,
                           Invalidations invalidations) {
        this.repository = repository;
        this.renderer = renderer;
        this.audit = audit;
        this.cache = cache;
        this.invalidations = invalidations;
        for (NotificationKind kind : NotificationKind.values()) {
            for (String locale : BUILTIN_LOCALES) {
                String dir = "templates/notify/" + kind.wire + "/" + locale + "/";
                builtins.put(kind.wire + "/" + locale, new Parts(read(dir + "subject.txt").strip(), read(dir + "text.txt"),
                        read(dir + "html.html")));
            }
        }
    }

    /**
     * A template as found for a brand: {@code source} says whose it is ({@link #BRAND}, {@link #INHERITED}
     * from a parent brand, {@link #BUILTIN}); {@code version} is set for the brand's own.
     */
    public record Resolved(NotificationKind kind, String locale, Parts parts, String source, Integer version) {
    }

    /**
     * The template a mail of this kind uses for a user of the brand {@code lineage} (nearest first) in
     * {@code locale}. The brands' templates come from {@link BrandTemplates} (no query once cached).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Resolved resolve(NotificationKind kind, List<Long> lineage, String locale) {
        return resolve(kind, lineage, cache.of(lineage), locale);
    }

    /** {@link #resolve} with the brands' own settings at hand ({@code brands}: those of {@code lineage}, in its order). */
    private Resolved resolve(NotificationKind kind, List<Long> lineage, List<BrandTemplates.Brand> brands, String locale) {
        List<String> locales = TemplateLocale.chain(locale);
        for (String candidate : locales) {
            for (int i = 0; i < lineage.size(); i++) {
                TemplateRow r = brands.get(i).template(kind.wire, candidate);
                if (r != null) {
                    boolean own = i == 0;
                    return new Resolved(kind, r.locale(), new Parts(r.subject(), r.text(), r.html()), own ? BRAND : INHERITED,
                            own ? r.version() : null);
                }
            }
        }
        for (String candidate : locales) {
            Parts builtin = builtins.get(kind.wire + "/" + candidate);
            if (builtin != null) {
                return new Resolved(kind, candidate, builtin, BUILTIN, null);
            }
        }
        throw new IllegalStateException("no built-in " + kind.wire + " template in " + TemplateLocale.FALLBACK);
    }

    /** The brand's own template for exactly this kind and locale. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Resolved> own(long brand, NotificationKind kind, String locale) {
        return repository.template(brand, kind.wire, locale)
                .map(r -> new Resolved(kind, r.locale(), new Parts(r.subject(), r.text(), r.html()), BRAND, r.version()));
    }

    /** Stores the brand's template after checking that it parses and renders (400 otherwise, nothing stored). */
    public Resolved put(long brand, NotificationKind kind, String locale, Parts parts, ExpectedVersion expected) {
        renderer.check(parts);
        if (expected.version() == null) {
            repository.upsertTemplate(brand, kind.wire, locale, parts.subject(), parts.text(), parts.html());
        } else if (!repository.replaceTemplate(brand, kind.wire, locale, expected.version().intValue(),
                parts.subject(), parts.text(), parts.html())) {
            throw stale();
        }
        invalidations.changed(BrandTemplates.key(brand));
        audit.record("notification.template.put", "notification template " + kind.wire + "/" + locale, brand, null);
        return own(brand, kind, locale).orElseThrow();
    }

    /** Removes the brand's template (the inherited or built-in one applies again); nothing to remove is fine. */
    public void delete(long brand, NotificationKind kind, String locale, ExpectedVersion expected) {
        Integer version = expected.version() == null ? null : expected.version().intValue();
        if (repository.deleteTemplate(brand, kind.wire, locale, version)) {
            invalidations.changed(BrandTemplates.key(brand));
            audit.record("notification.template.delete", "notification template " + kind.wire + "/" + locale, brand, null);
        } else if (version != null) {
            throw stale();
        }
    }

    /** A brand's default locale: its own, else its nearest parent's ({@link #INHERITED}), else {@code en} ({@link #BUILTIN}). */
    public record DefaultLocale(String locale, String source) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public DefaultLocale defaultLocale(List<Long> lineage) {
        return firstDefaultLocale(cache.of(lineage));
    }

    private static DefaultLocale firstDefaultLocale(List<BrandTemplates.Brand> brands) {
        for (int i = 0; i < brands.size(); i++) {
            String locale = brands.get(i).defaultLocale();
            if (locale != null) {
                return new DefaultLocale(locale, i == 0 ? BRAND : INHERITED);
            }
        }
        return new DefaultLocale(TemplateLocale.FALLBACK, BUILTIN);
    }

    /**
     * The template a mail of this kind uses for a user of the brand {@code lineage}, in the brands'
     * default locale (users have no language of their own yet): both from one look at the cache.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Resolved forUser(NotificationKind kind, List<Long> lineage) {
        List<BrandTemplates.Brand> brands = cache.of(lineage);
        return resolve(kind, lineage, brands, firstDefaultLocale(brands).locale());
    }

    public void setDefaultLocale(long brand, String locale) {
        repository.setDefaultLocale(brand, locale);
        invalidations.changed(BrandTemplates.key(brand));
        audit.record("notification.locale.put", "notification default locale " + locale, brand, null);
    }

    private static ApiException stale() {
        return new ApiException(ErrorCode.PRECONDITION_FAILED, "If-Match does not name the current version; reload and retry.");
    }

    private static String read(String resource) {
        try (InputStream in = TemplateService.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in template missing: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
