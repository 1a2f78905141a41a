package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.mailaccounts.ServerSettings.Side;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server settings {@code accounts/simple} tries for an address, in order: the configured
 * provider of its domain ({@code mailplane.mailaccounts.providers."<domain>".*}), then the
 * settings learned from verified accounts on the domain (most used first, as the repository
 * answers them), each pair of servers once. Every candidate logs in with {@code Login}
 * authentication and the one password on both sides.
 * <p>
 * The provider table is read once, when the service starts ({@link Startup}): a provider whose
 * {@code encryption} or {@code smtp-encryption} is not an {@link Encryption} name fails the boot
 * with a message naming the setting, instead of every request for its domain.
 */
@Startup
@ApplicationScoped
public class ServerCandidates {
    private final Map<String, Provider> providers;

    @Inject
    public ServerCandidates(MailplaneConfig root) {
        this(root.mailaccounts());
    }

    /** Throws {@link IllegalStateException} naming a provider setting that is not valid. */
    ServerCandidates(MailplaneConfig.MailAccounts config) {
        Map<String, Provider> out = new TreeMap<>();
        config.providers().forEach((domain, p) -> out.put(domain, Provider.of(domain, p)));
        this.providers = Map.copyOf(out);
    }

    /** A configured provider, its encryption names converted (and checked). */
    record Provider(boolean imap, String server, Integer port, Encryption encryption,
                    String smtpServer, Integer smtpPort, Encryption smtpEncryption, boolean localPartLogin) {

        static Provider of(String domain, MailplaneConfig.MailAccounts.Provider p) {
            String prefix = "mailplane.mailaccounts.providers.\"" + domain + "\".";
            return new Provider(p.imap(), p.server(), p.port().orElse(null), encryption(prefix + "encryption", p.encryption()),
                    p.smtpServer(), p.smtpPort().orElse(null), encryption(prefix + "smtp-encryption", p.smtpEncryption()),
                    "local-part".equals(p.login()));
        }

        private static Encryption encryption(String setting, String value) {
            try {
                return Encryption.valueOf(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(setting + " is '" + value + "'; it must be one of "
                        + Arrays.toString(Encryption.values()).replaceAll("[\\[\\]]", ""), e);
            }
        }
    }

    /** Settings of verified accounts on a domain; {@code fullLogin}: they log in with the whole address, else its local part. */
    public record Learned(boolean imap, String inServer, int inPort, Encryption inEncryption,
                          String smtpServer, int smtpPort, Encryption smtpEncryption, boolean fullLogin) {
    }

    /** The drafts to try for {@code email}, in order: its provider's, then the {@code learned} ones not already listed. */
    List<AccountDraft> of(String email, String password, List<Learned> learned) {
        String domain = email.substring(email.lastIndexOf('@') + 1);
        String local = email.substring(0, email.lastIndexOf('@'));
        List<AccountDraft> out = new ArrayList<>();
        Provider p = providers.get(domain);
        if (p != null) {
            Side side = p.imap() ? Side.IMAP : Side.POP3;
            String login = p.localPartLogin() ? local : email;
            int port = p.port() != null ? p.port() : side.defaultPort(p.encryption());
            int smtpPort = p.smtpPort() != null ? p.smtpPort() : Side.SMTP.defaultPort(p.smtpEncryption());
            out.add(new AccountDraft(email, null, p.imap(), true,
                    new ServerSettings(side, p.server(), port, login, password, p.encryption(), AuthType.Login, true),
                    new ServerSettings(Side.SMTP, p.smtpServer(), smtpPort, login, password, p.smtpEncryption(), AuthType.Login, true)));
        }
        for (Learned l : learned) {
            Side side = l.imap() ? Side.IMAP : Side.POP3;
            String login = l.fullLogin() ? email : local;
            AccountDraft d = new AccountDraft(email, null, l.imap(), true,
                    new ServerSettings(side, l.inServer(), l.inPort(), login, password, l.inEncryption(), AuthType.Login, true),
                    new ServerSettings(Side.SMTP, l.smtpServer(), l.smtpPort(), login, password, l.smtpEncryption(), AuthType.Login, true));
            if (out.stream().noneMatch(o -> o.in().equals(d.in()) && o.smtp().equals(d.smtp()))) {
                out.add(d);
            }
        }
        return out;
    }
}
