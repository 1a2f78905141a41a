package io.mailplane.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.notify.TemplateRenderer.Parts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The template checks and rendering, without the service: what a brand may write and what it renders to. */
class TemplateRendererTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    @ParameterizedTest
    @ValueSource(strings = {"{display_name", "{#if login}x", "{unknown}", "{display_name.length()}", "{inject:bean.secret}",
            "{config:quarkus.datasource.password}", "{#include other /}", "{#for x in login}{x}{/for}", "{#eval login /}",
            "{#let a=login}{a}{/let}", "{display_name ?: secret}", "{#if password}x{/if}"})
    void aTemplateThatDoesNotParseOrReadsAnythingButItsVariablesIsRefused(String text) {
        ApiException refused = assertThrows(ApiException.class, () -> renderer.check(new Parts("Hello", text, null)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.code);
        assertEquals("text", refused.errors.get(0).field());
    }

    @Test
    void theRefusalNamesThePartThatIsWrong() {
        ApiException subject = assertThrows(ApiException.class, () -> renderer.check(new Parts("{nope}", "ok", null)));
        assertEquals("subject", subject.errors.get(0).field());
        ApiException html = assertThrows(ApiException.class, () -> renderer.check(new Parts("ok", "ok", "<p>{nope}</p>")));
        assertEquals("html", html.errors.get(0).field());
    }

    @Test
    void everyVariableFallbacksAndIfSectionsAreAccepted() {
        renderer.check(new Parts("{brand_name}: {display_name}", "{login} {address} {quota} {usage ?: 'n/a'} {brand}"
                + " {#if quota_threshold}{#if quota_threshold > 100}big{#else}small{/if}{/if} {usage or 0}", "<p>{display_name}</p>"));
    }

    @Test
    void aTemplateThatWouldFailToRenderForAMailWithoutSomeValueIsRefusedAtOnce() {
        // quota_threshold is empty in welcome mails: comparing it would fail at send time
        ApiException refused = assertThrows(ApiException.class,
                () -> renderer.check(new Parts("S", "{#if quota_threshold > 100}big{/if}", null)));
        assertEquals("text", refused.errors.get(0).field());
    }

    @Test
    void valuesAreEscapedInTheHtmlPartOnly() {
        Parts mail = renderer.render(new Parts("Hi {display_name}", "Hi {display_name}", "<p>Hi {display_name}</p>"),
                Map.of("display_name", "<b>Jo & Co</b>"));
        assertEquals("Hi <b>Jo & Co</b>", mail.text());
        assertEquals("<p>Hi &lt;b&gt;Jo &amp; Co&lt;/b&gt;</p>", mail.html());
    }

    @Test
    void missingValuesRenderEmptyAndAreFalseInIfSections() {
        Parts mail = renderer.render(new Parts("S", "[{usage}]{#if usage} uses {usage}{/if}[{usage ?: 'unknown'}]", null),
                Map.of());
        assertEquals("[][unknown]", mail.text());
    }

    @Test
    void aSubjectStaysOneLineWhateverTheValues() {
        Parts mail = renderer.render(new Parts("Hi {display_name}", "x", null), Map.of("display_name", "Jo\r\nBcc: x@y"));
        assertEquals("Hi Jo Bcc: x@y", mail.subject());
    }

    @Test
    void everyBuiltInTemplatePassesTheChecksBrandTemplatesGet() throws Exception {
        for (NotificationKind kind : NotificationKind.values()) {
            for (String locale : List.of("en", "de")) {
                String dir = "templates/notify/" + kind.wire + "/" + locale + "/";
                Parts parts = new Parts(resource(dir + "subject.txt"), resource(dir + "text.txt"), resource(dir + "html.html"));
                renderer.check(parts);
                Parts mail = renderer.render(parts, Map.of("display_name", "Anna", "address", "anna@example.com", "brand_name", "Acme"));
                assertTrue(mail.text().contains("Anna") && mail.text().contains("Acme"), kind + "/" + locale + ": " + mail.text());
            }
        }
    }

    private static String resource(String name) throws Exception {
        try (var in = TemplateRendererTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
