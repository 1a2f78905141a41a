package io.mailplane.notify;

import static io.mailplane.notify.NotificationRequestTest.NOTIFY;
import static io.mailplane.notify.NotificationRequestTest.tenantOf;
import static io.mailplane.notify.TemplateManagementTest.TEMPLATE;
import static io.mailplane.notify.TemplateManagementTest.TEMPLATES;
import static io.mailplane.notify.TemplateManagementTest.template;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Notifications end to end: the request queues the mail, this replica's real outbox worker sends
 * it to the in-process GreenMail ({@link MailServers}), and the mail that arrives is checked —
 * To, From, Subject, text and HTML part — per kind, brand, locale and caller. Every mail goes to a
 * user of its own (a fresh context, so a fresh domain), is found by its recipient only, and is
 * awaited by polling GreenMail with a deadline; mails of other tests do not matter.
 */
@QuarkusTest
@QuarkusTestResource(MailServerResource.class)
class NotificationDeliveryTest {
    /**
     * The brand with a sender of its own: {@code mailplane.smtp.brand-from} of the test settings
     * (application.properties; a profile of its own would cost the suite a service start).
     */
    static final String SENDER_BRAND = "e2e-sender.brand";
    static final String BRAND_FROM = "E2E Brand Team <team@e2e-sender.example>";
    /** The default sender of the test profile (application.properties). */
    static final String DEFAULT_FROM = "Mailplane <noreply@mailplane.test>";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static ResellerRef senderBrand;

    /** A user of its own (in a fresh context of {@code brand}), with a display name and a quota. */
    record Recipient(int id, String login, String email, String displayName, ContextRef context) {
        String ref() {
            return id + "@" + context.id();
        }
    }

    /** What GreenMail received: the text and HTML parts decoded, line ends as the service wrote them. */
    record Delivered(String to, String from, String subject, String text, String html, String messageId) {
    }

    private static Recipient recipient(ResellerRef brand, String displayName) {
        ContextRef context = Fixtures.context(brand);
        String local = Fixtures.unique("n");
        String login = local + "@" + context.domain();
        int id = Fixtures.as(context).body(Map.of("name", login, "password", Fixtures.secret(), "displayName", displayName,
                        "primaryEmail", login, "quotaMb", 2048))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(201).extract().jsonPath().getInt("id");
        return new Recipient(id, login, login, displayName, context);
    }

    private static Recipient recipient(ResellerRef brand) {
        return recipient(brand, "User " + Fixtures.unique("d"));
    }

    /** Sends and answers {"mail": ...}; overquota with {@code quota_threshold} 750. */
    private static String send(RequestSpecification caller, String kind, Recipient to) {
        if (kind.equals("overquota")) {
            caller.body(Map.of("quota_threshold", 750));
        }
        return caller.post(NOTIFY + kind + "/" + to.ref()).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getString("mail");
    }

    /** The one mail to {@code address}, once it arrived (fails after {@link #ARRIVAL}); a second one is a failure too. */
    private static Delivered delivered(String address) {
        List<MimeMessage> found = List.of();
        try {
            found = await("a mail to " + address).atMost(ARRIVAL).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                    .until(() -> to(address), not(empty()));
        } catch (ConditionTimeoutException e) {
            fail("no mail to " + address + " arrived within " + ARRIVAL + "; outbox: "
                    + Db.string("SELECT GROUP_CONCAT(CONCAT(status, ' ', attempts, ' ', COALESCE(last_error, ''))) "
                    + "FROM notification_outbox WHERE recipient = ?", address), e);
        }
        assertEquals(1, found.size(), "mails to " + address);
        // the worker records the mail as sent right after the relay took it
        await("the mail to " + address + " arrived and is recorded as sent").atMost(ARRIVAL).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> Db.string("SELECT status FROM notification_outbox WHERE recipient = ?", address), equalTo("sent"));
        return parse(found.get(0));
    }

    private static List<MimeMessage> to(String address) {
        return Arrays.stream(MailServers.get().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients() != null && Arrays.stream(m.getAllRecipients())
                        .anyMatch(a -> a instanceof InternetAddress i && address.equalsIgnoreCase(i.getAddress()));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static Delivered parse(MimeMessage m) {
        try {
            assertEquals(1, m.getAllRecipients().length, "one recipient");
            Object content = m.getContent();
            String text;
            String html = null;
            if (content instanceof Multipart parts) {
                assertTrue(m.getContentType().startsWith("multipart/alternative"), m.getContentType());
                assertEquals(2, parts.getCount(), "a text and an HTML part");
                BodyPart plain = parts.getBodyPart(0);
                BodyPart rich = parts.getBodyPart(1);
                assertTrue(plain.isMimeType("text/plain"), plain.getContentType());
                assertTrue(rich.isMimeType("text/html"), rich.getContentType());
                text = (String) plain.getContent();
                html = (String) rich.getContent();
            } else {
                assertTrue(m.isMimeType("text/plain"), m.getContentType());
                text = (String) content;
            }
            return new Delivered(((InternetAddress) m.getAllRecipients()[0]).getAddress(), m.getHeader("From", ","),
                    m.getSubject(), lines(text), html == null ? null : lines(html), m.getHeader("Message-ID", ","));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SMTP carries lines ending in CRLF; the service renders (and answers) them ending in LF. */
    private static String lines(String body) {
        return body.replace("\r\n", "\n");
    }

    private static String brandName(ResellerRef brand) {
        return "Reseller " + brand.name();
    }

    /** The top brand whose sender is configured in the test settings (its brand name is fixed, so it exists once). */
    private static synchronized ResellerRef senderBrand() {
        if (senderBrand == null) {
            String name = Fixtures.unique("res");
            String password = Fixtures.secret();
            long id = Fixtures.asMaster().body(Map.of("name", name, "password", password, "displayName", "Reseller " + name,
                    "brand", SENDER_BRAND)).post("/oxaas/v1/admin/resellers").then().statusCode(201).extract().jsonPath().getLong("id");
            senderBrand = new ResellerRef(id, name, password, SENDER_BRAND);
        }
        return senderBrand;
    }

    @Test
    void eachKindArrivesFromTheDefaultSenderInEnglishExactlyAsAnsweredToTheBrandsTenant() {
        ResellerRef brand = Fixtures.reseller();
        var tenant = tenantOf(brand);
        String b = brandName(brand);

        Recipient welcome = recipient(brand);
        String answer = send(tenant.get(), "welcome", welcome);
        Delivered mail = delivered(welcome.email());
        assertEquals(welcome.email(), mail.to());
        assertEquals(DEFAULT_FROM, mail.from());
        assertEquals("Welcome to " + b + ", " + welcome.displayName(), mail.subject());
        assertEquals("Hello " + welcome.displayName() + ",\n\nwelcome to " + b + "! Your mailbox is ready.\n\n"
                + "Address: " + welcome.email() + "\nLogin:   " + welcome.login() + "\nStorage: 2048 MB\n\n"
                + "Kind regards,\nyour " + b + " team\n", mail.text());
        assertEquals(answer, mail.text(), "the answer is the text that was sent");
        assertTrue(mail.html().contains("<li>Address: " + welcome.email() + "</li>"), mail.html());
        assertTrue(mail.messageId().endsWith("@mailplane.test>"), mail.messageId());

        Recipient spam = recipient(brand);
        answer = send(tenant.get(), "spamdisabled", spam);
        mail = delivered(spam.email());
        assertEquals(spam.email(), mail.to());
        assertEquals(DEFAULT_FROM, mail.from());
        assertEquals("Sending from " + spam.email() + " has been disabled", mail.subject());
        assertEquals("Hello " + spam.displayName() + ",\n\nwe have disabled sending mail from " + spam.email()
                + " because spam was sent from it.\nYour account may have been compromised: please change your password and contact "
                + b + " support to have sending enabled again.\n\nKind regards,\nyour " + b + " team\n", mail.text());
        assertEquals(answer, mail.text());

        Recipient full = recipient(brand);
        answer = send(tenant.get(), "overquota", full);
        mail = delivered(full.email());
        assertEquals(full.email(), mail.to());
        assertEquals(DEFAULT_FROM, mail.from());
        assertEquals("Your mailbox " + full.email() + " is almost full", mail.subject());
        assertEquals("Hello " + full.displayName() + ",\n\nyour mailbox " + full.email() + " has reached its storage threshold of 750 MB.\n\n"
                + "Please delete mails you no longer need, or ask for more storage, so that you keep receiving mail.\n\n"
                + "Kind regards,\nyour " + b + " team\n", mail.text());
        assertEquals(answer, mail.text());
        assertTrue(mail.html().contains("<p>your mailbox " + full.email() + " has reached its storage threshold of 750 MB.</p>"),
                mail.html());

        // with the usage the caller knows, one more line in the same paragraph
        Recipient used = recipient(brand);
        answer = tenant.get().body(Map.of("quota_threshold", 750, "usage", 900)).post(NOTIFY + "overquota/" + used.ref())
                .then().statusCode(200).extract().jsonPath().getString("mail");
        mail = delivered(used.email());
        assertTrue(mail.text().contains(" has reached its storage threshold of 750 MB.\nIt currently uses 900 MB of 2048 MB.\n\n"
                + "Please delete"), mail.text());
        assertEquals(answer, mail.text());

        // without a quota, the Storage line goes and the blank line before the greeting stays
        Fixtures.UserRef plain = Fixtures.user(Fixtures.context(brand));
        answer = tenant.get().post(NOTIFY + "welcome/" + plain.id() + "@" + plain.context().id()).then().statusCode(200)
                .extract().jsonPath().getString("mail");
        mail = delivered(plain.email());
        assertTrue(mail.text().endsWith("\nLogin:   " + plain.name() + "\n\nKind regards,\nyour " + b + " team\n"), mail.text());
        assertEquals(answer, mail.text());
    }

    @Test
    void aBrandWhoseDefaultLocaleIsGermanGetsGermanMailsForItsSubBrandsTooAndOtherBrandsStayEnglish() {
        ResellerRef brand = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(brand);
        ResellerRef neighbour = Fixtures.reseller();
        Fixtures.as(brand).body(Map.of("default_locale", "de")).put(TEMPLATES + "/default-locale").then().statusCode(200);

        // as the reseller this time
        for (ResellerRef r : List.of(brand, sub)) {
            String b = brandName(r);
            Recipient welcome = recipient(r);
            String answer = send(Fixtures.as(r), "welcome", welcome);
            Delivered mail = delivered(welcome.email());
            assertEquals(welcome.email(), mail.to());
            assertEquals(DEFAULT_FROM, mail.from());
            assertEquals("Willkommen bei " + b + ", " + welcome.displayName(), mail.subject());
            assertTrue(mail.text().startsWith("Hallo " + welcome.displayName() + ",\n\nwillkommen bei " + b
                    + "! Ihr Postfach ist eingerichtet.\n"), mail.text());
            assertTrue(mail.text().endsWith("\nSpeicher:   2048 MB\n\nFreundliche Grüße\nIhr " + b + "-Team\n"), mail.text());
            assertTrue(mail.html().contains("<p>willkommen bei " + b + "! Ihr Postfach ist eingerichtet.</p>"), mail.html());
            assertEquals(answer, mail.text());
        }

        Recipient spam = recipient(sub);
        String answer = send(Fixtures.as(brand), "spamdisabled", spam);
        Delivered mail = delivered(spam.email());
        assertEquals("Der Versand von " + spam.email() + " wurde gesperrt", mail.subject());
        assertTrue(mail.text().contains("wir haben den Versand von Mails über " + spam.email() + " gesperrt"), mail.text());
        assertEquals(answer, mail.text());

        Recipient full = recipient(brand);
        answer = send(Fixtures.as(brand), "overquota", full);
        mail = delivered(full.email());
        assertEquals("Ihr Postfach " + full.email() + " ist fast voll", mail.subject());
        assertTrue(mail.text().contains("hat seine Speichergrenze von 750 MB erreicht."), mail.text());
        assertEquals(answer, mail.text());

        Recipient english = recipient(neighbour);
        send(Fixtures.as(neighbour), "welcome", english);
        assertEquals("Welcome to " + brandName(neighbour) + ", " + english.displayName(), delivered(english.email()).subject());
    }

    @Test
    void aBrandsTemplateOverridesTheBuiltInOneAndItsSubBrandInheritsIt() {
        ResellerRef brand = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(brand);
        ResellerRef neighbour = Fixtures.reseller();
        Fixtures.as(brand).body(template("Hi {display_name} from {brand_name}",
                        "Dear {display_name},\n{brand_name} set up {address}.{#if quota} You have {quota} MB.{/if}\n",
                        "<h1>Dear {display_name}</h1><p>{address}</p>"))
                .put(TEMPLATE, "welcome", "en").then().statusCode(200);
        Fixtures.as(brand).body(template("Stop, {login}", "No more spam from {address}, {display_name}.", null))
                .put(TEMPLATE, "spamdisabled", "en").then().statusCode(200);

        for (ResellerRef r : List.of(brand, sub)) {
            Recipient user = recipient(r);
            String answer = send(tenantOf(r).get(), "welcome", user);
            Delivered mail = delivered(user.email());
            assertEquals(user.email(), mail.to());
            assertEquals("Hi " + user.displayName() + " from " + brandName(r), mail.subject());
            assertEquals("Dear " + user.displayName() + ",\n" + brandName(r) + " set up " + user.email() + ". You have 2048 MB.\n",
                    mail.text());
            assertEquals(answer, mail.text());
            assertEquals("<h1>Dear " + user.displayName() + "</h1><p>" + user.email() + "</p>", mail.html());
        }

        // a template without an HTML part makes a plain-text mail
        Recipient spam = recipient(sub);
        String answer = send(Fixtures.as(brand), "spamdisabled", spam);
        Delivered mail = delivered(spam.email());
        assertEquals("Stop, " + spam.login(), mail.subject());
        assertEquals("No more spam from " + spam.email() + ", " + spam.displayName() + ".", mail.text());
        assertEquals(answer, mail.text());
        assertNull(mail.html());

        // kinds the brand has no template for, and other brands, keep the built-in ones
        Recipient full = recipient(sub);
        send(Fixtures.as(sub), "overquota", full);
        assertEquals("Your mailbox " + full.email() + " is almost full", delivered(full.email()).subject());
        Recipient other = recipient(neighbour);
        send(tenantOf(neighbour).get(), "welcome", other);
        assertEquals("Welcome to " + brandName(neighbour) + ", " + other.displayName(), delivered(other.email()).subject());
    }

    @Test
    void theHtmlPartEscapesWhatTheUserNamesThemselvesAndTheTextPartDoesNot() {
        ResellerRef brand = Fixtures.reseller();
        String name = "<b>Eve & \"Co\"</b>";
        Recipient eve = recipient(brand, name);
        String answer = send(tenantOf(brand).get(), "welcome", eve);
        Delivered mail = delivered(eve.email());
        assertEquals("Welcome to " + brandName(brand) + ", " + name, mail.subject());
        assertTrue(mail.text().startsWith("Hello " + name + ",\n"), mail.text());
        assertEquals(answer, mail.text());
        assertTrue(mail.html().startsWith("<p>Hello &lt;b&gt;Eve &amp; &quot;Co&quot;&lt;/b&gt;,</p>"), mail.html());
        assertFalse(mail.html().contains("<b>"), mail.html());
        assertFalse(mail.html().contains("\"Co\""), mail.html());

        // a brand's own HTML template escapes the same way
        Fixtures.as(brand).body(template("S", "T {display_name}", "<i>{display_name}</i>")).put(TEMPLATE, "overquota", "en")
                .then().statusCode(200);
        Recipient co = recipient(brand, name);
        send(Fixtures.as(brand), "overquota", co);
        Delivered own = delivered(co.email());
        assertEquals("<i>&lt;b&gt;Eve &amp; &quot;Co&quot;&lt;/b&gt;</i>", own.html());
        assertEquals("T " + name, own.text());
    }

    @Test
    void aBrandWithASenderOfItsOwnSendsFromItAndSoDoItsSubBrands() {
        ResellerRef brand = senderBrand();
        ResellerRef sub = Fixtures.subReseller(brand);
        for (ResellerRef r : List.of(brand, sub)) {
            Recipient user = recipient(r);
            String answer = send(tenantOf(r).get(), "spamdisabled", user);
            Delivered mail = delivered(user.email());
            assertEquals(user.email(), mail.to());
            assertEquals(BRAND_FROM, mail.from());
            assertEquals("Sending from " + user.email() + " has been disabled", mail.subject());
            assertEquals(answer, mail.text());
            assertTrue(mail.messageId().endsWith("@e2e-sender.example>"), mail.messageId());
        }
        // a brand without one keeps the default sender
        ResellerRef plain = Fixtures.reseller();
        Recipient user = recipient(plain);
        send(Fixtures.as(plain), "spamdisabled", user);
        assertEquals(DEFAULT_FROM, delivered(user.email()).from());
    }
}
