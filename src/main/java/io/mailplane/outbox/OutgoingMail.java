package io.mailplane.outbox;

/**
 * A mail to queue in the outbox: who it is for (to scope who may see it in the outbox), where it
 * goes and what it says. {@code from} {@code null}: the brand's sender, else MAILPLANE_SMTP_FROM.
 *
 * @param resellerId the brand whose user it is for (outbox visibility, sender override)
 * @param contextId  the user's context, if any
 * @param userId     the user's id in its context, if any
 * @param kind       what it is, e.g. {@code welcome}, {@code overquota}, {@code spamdisabled}
 * @param html       an optional HTML alternative to {@code text}
 */
public record OutgoingMail(long resellerId, Long contextId, Integer userId, String kind,
                           String to, String from, String subject, String text, String html) {
}
