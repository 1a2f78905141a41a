package io.mailplane.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A real Dovecot (IMAP, POP3, LMTP) and Postfix (SMTP) for the test JVM, configured from the files
 * under {@code deploy/mailserver/} (placeholders filled in) into {@code target/mailstack/} and
 * pointed at the test database (the same {@code DB_URL} the service under test uses). Both listen
 * on free ports of 127.0.0.1; Postfix delivers to this Dovecot over LMTP and sends nothing off the
 * machine. Started on the first {@link #get()} only, stopped when the JVM exits; no system-wide
 * service is touched. Needs Debian's postfix, postfix-mysql, dovecot-imapd, dovecot-pop3d,
 * dovecot-lmtpd and dovecot-mysql; Postfix's master must be started by root.
 */
public final class MailStack {
    public static final String HOST = "127.0.0.1";
    private static final String MASTER_USER = "mailplane";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static MailStack instance;

    private final Path root;
    private final Path dovecotConf;
    private final Path postfixDir;
    private final int smtpPort;
    private final int imapPort;
    private final int pop3Port;
    private final int lmtpPort;
    private final String masterPassword;
    private final int imapsPort;

    private MailStack(Path root, int smtpPort, int imapPort, int pop3Port, int lmtpPort, String masterPassword, int imapsPort) {
        this.root = root;
        this.dovecotConf = root.resolve("dovecot/dovecot.conf");
        this.postfixDir = root.resolve("postfix");
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        this.pop3Port = pop3Port;
        this.lmtpPort = lmtpPort;
        this.masterPassword = masterPassword;
        this.imapsPort = imapsPort;
    }

    /**
     * The running stack of this JVM, kept in a system property: every test profile loads this class
     * anew (a class loader per profile), and without it each one would start a stack of its own,
     * stopping the one before (about two seconds per Quarkus restart).
     */
    private static final String RUNNING_PROPERTY = "mailstack.running";
    /** A lock shared by every class loader of this JVM (string literals are interned JVM-wide). */
    private static final Object JVM_LOCK = "io.mailplane.testing.MailStack.lock";

    /** The running stack; starts Dovecot and Postfix on the first call of the JVM. */
    public static MailStack get() {
        synchronized (JVM_LOCK) {
            if (instance == null) {
                instance = running().orElseGet(MailStack::start);
            }
            return instance;
        }
    }

    private static MailStack start() {
        long started = System.nanoTime();
        // A free port may be taken by another process between our choice and the servers'
        // bind (other test JVMs on the machine choose too): then choose again, a few times.
        for (int attempt = 1; ; attempt++) {
            MailStack stack = create();
            try {
                stack.startDovecot();
                stack.startPostfix();
            } catch (IllegalStateException e) {
                stack.stopQuietly();
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                continue;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stopQuietly, "mailstack-stop"));
            System.setProperty(RUNNING_PROPERTY, String.join("\n", stack.root.toString(), Integer.toString(stack.smtpPort),
                    Integer.toString(stack.imapPort), Integer.toString(stack.pop3Port), Integer.toString(stack.lmtpPort),
                    stack.masterPassword, Integer.toString(stack.imapsPort)));
            System.err.printf("mailstack: Dovecot and Postfix started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            return stack;
        }
    }

    /** The stack an earlier class loader of this JVM started, if any. */
    private static Optional<MailStack> running() {
        String known = System.getProperty(RUNNING_PROPERTY);
        if (known == null) {
            return Optional.empty();
        }
        String[] f = known.split("\n");
        return Optional.of(new MailStack(Path.of(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), f[5], Integer.parseInt(f[6])));
    }

    /**
     * Jakarta Mail settings for a test's own IMAP or POP3 client of this stack: bounded timeouts,
     * and a loopback source address of its own (127.x.y.z). Dovecot delays each failed login of a
     * client address longer than the last (its auth penalty: 2, 4, 8, up to 15 s, for trusted
     * networks too), and tests fail logins on purpose; a fresh address starts without penalty.
     */
    public static Properties client(String protocol) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Properties props = new Properties();
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "30000");
        props.put("mail." + protocol + ".localaddress",
                "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255));
        return props;
    }

    public String host() {
        return HOST;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    public int pop3Port() {
        return pop3Port;
    }

    public int lmtpPort() {
        return lmtpPort;
    }

    /** Dovecot master user: log in as {@code <user>*<masterUser>} with {@link #masterPassword()}. */
    public String masterUser() {
        return MASTER_USER;
    }

    public String masterPassword() {
        return masterPassword;
    }

    // --- TLS: IMAP also offers STARTTLS on imapPort() and implicit TLS on imapsPort(), with a
    // certificate for 127.0.0.1 and localhost signed by the stack's own CA (tls/ca.pem), which
    // truststore() (PKCS12, password truststorePassword()) trusts. The CA is not the JDK's.

    public int imapsPort() {
        return imapsPort;
    }

    /** PKCS12 truststore holding the stack's CA. */
    public Path truststore() {
        return root.resolve("tls/truststore.p12");
    }

    public String truststorePassword() {
        return TRUSTSTORE_PASSWORD;
    }

    private static final String TRUSTSTORE_PASSWORD = "mailstack";

    /**
     * A CA and a server certificate signed by it (openssl; P-256 keys, generated at once where RSA
     * keys take a noticeable while), and a truststore of the CA (written here: a keytool would
     * start another JVM).
     */
    private static void makeCertificates(Path tls) throws IOException {
        Files.createDirectories(tls);
        String dir = tls.toString();
        List<String> newKey = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");
        run(concat(List.of("openssl", "req", "-x509"), newKey, List.of("-days", "30", "-subj", "/CN=Mailstack test CA",
                "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem")), true);
        run(concat(List.of("openssl", "req"), newKey, List.of("-subj", "/CN=localhost",
                "-keyout", dir + "/server.key", "-out", dir + "/server.csr")), true);
        Files.writeString(tls.resolve("server.ext"), "subjectAltName = DNS:localhost, IP:127.0.0.1\n");
        run(List.of("openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
                "-CAcreateserial", "-days", "30", "-extfile", dir + "/server.ext", "-out", dir + "/server.pem"), true);
        try (var in = Files.newInputStream(tls.resolve("ca.pem")); var out = Files.newOutputStream(tls.resolve("truststore.p12"))) {
            KeyStore truststore = KeyStore.getInstance("PKCS12");
            truststore.load(null, null);
            truststore.setCertificateEntry("mailstack-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            truststore.store(out, TRUSTSTORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("mailstack: cannot write the truststore", e);
        }
        // Dovecot reads the key as root before dropping privileges; keep it private anyway
        Files.setPosixFilePermissions(tls.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    /** Where the stack keeps its configuration, logs and mailboxes. */
    public Path root() {
        return root;
    }

    /**
     * Stops Dovecot as a mail host that goes down: its logged-in IMAP/POP3 sessions end first
     * (Dovecot's master leaves them running when it stops, serving their clients); returns once its
     * processes are gone and its ports closed.
     */
    public synchronized void stopDovecot() {
        Optional<Long> pid = pidOf(root.resolve("dovecot/run/master.pid"));
        if (pid.isEmpty() || !alive(pid.get())) {
            return;
        }
        kick("*");
        run(List.of("dovecot", "-c", dovecotConf.toString(), "stop"), false);
        waitUntil("Dovecot stopped", () -> !alive(pid.get()) && !accepts(imapPort) && !accepts(pop3Port) && !accepts(lmtpPort)
                && !accepts(imapsPort));
    }

    /**
     * Ends the logged-in IMAP/POP3 sessions of {@code userMask} (a user name, {@code *} for all):
     * Dovecot says BYE and closes them ({@code doveadm kick}); returns once none is left.
     */
    public synchronized void kick(String userMask) {
        run(List.of("doveadm", "-c", dovecotConf.toString(), "kick", userMask), false);
        String mask = userMask.toLowerCase(java.util.Locale.ROOT);
        waitUntil("Dovecot sessions of " + userMask + " ended", () -> run(List.of("doveadm", "-c", dovecotConf.toString(), "who"), false)
                .lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\\s+")[0].toLowerCase(java.util.Locale.ROOT))
                .noneMatch(user -> "*".equals(mask) || user.equals(mask)));
    }

    /**
     * Empties every mailbox: ends the logged-in sessions and deletes the mail store's contents.
     * Mailbox homes are named by context id and user number, which start again at every start of
     * the service under test (the database is emptied then), so a stack kept across starts would
     * hand a new user the mail of an earlier one.
     */
    public synchronized void emptyMailboxes() {
        kick("*");
        Path mail = root.resolve("mail");
        try (Stream<Path> entries = Files.list(mail)) {
            for (Path entry : entries.toList()) {
                deleteTree(entry);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not empty " + mail, e);
        }
    }

    /** Starts Dovecot; returns once IMAP, POP3 and LMTP greet. Does nothing when it runs. */
    public synchronized void startDovecot() {
        Optional<Long> pid = pidOf(root.resolve("dovecot/run/master.pid"));
        if (pid.isPresent() && alive(pid.get())) {
            return;
        }
        run(List.of("dovecot", "-c", dovecotConf.toString()), true);
        waitUntil("Dovecot IMAP, POP3 and LMTP greeting", () -> greets(imapPort, "* OK") && greets(pop3Port, "+OK") && greets(lmtpPort, "220")
                && accepts(imapsPort));
    }

    private void startPostfix() {
        run(List.of("postfix", "-c", postfixDir.toString(), "start"), true);
        waitUntil("Postfix SMTP greeting", () -> greets(smtpPort, "220"));
    }

    private void stopPostfix() {
        Optional<Long> pid = pidOf(postfixDir.resolve("spool/pid/master.pid"));
        if (pid.isEmpty() || !alive(pid.get())) {
            return;
        }
        run(List.of("postfix", "-c", postfixDir.toString(), "stop"), false);
        waitUntil("Postfix stopped", () -> !alive(pid.get()));
    }

    private void stopQuietly() {
        try {
            stopPostfix();
        } catch (RuntimeException e) {
            System.err.println("mailstack: " + e.getMessage());
        }
        try {
            stopDovecot();
        } catch (RuntimeException e) {
            System.err.println("mailstack: " + e.getMessage());
        }
    }

    // --- configuration -------------------------------------------------------------------------

    private static MailStack create() {
        Path root = Path.of("target/mailstack").toAbsolutePath();
        Path deploy = Path.of("deploy/mailserver").toAbsolutePath();
        try {
            stopLeftovers(root);
            deleteTree(root);
            Path dovecot = Files.createDirectories(root.resolve("dovecot"));
            Path postfix = Files.createDirectories(root.resolve("postfix"));
            Path mail = Files.createDirectories(root.resolve("mail"));
            Files.createDirectories(dovecot.resolve("conf.d"));

            boolean asRoot = "root".equals(System.getProperty("user.name"));
            String mailUser = asRoot ? "mail" : System.getProperty("user.name");
            String mailUid = id("-u", mailUser);
            String mailGroup = asRoot ? "mail" : id("-gn", mailUser);
            String mailGid = id("-g", mailUser);
            Files.createDirectories(postfix.resolve("spool"));
            Path postfixData = Files.createDirectories(postfix.resolve("data"));
            if (asRoot) {
                run(List.of("chown", mailUid + ":" + mailGid, mail.toString()), true);
                run(List.of("chown", "postfix", postfixData.toString()), true);
            }

            Database db = Database.fromConfig();
            int[] ports = freePorts(5);
            int smtp = ports[0];
            int imap = ports[1];
            int pop3 = ports[2];
            int lmtp = ports[3];
            int imaps = ports[4];
            makeCertificates(root.resolve("tls"));
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            String masterPassword = HexFormat.of().formatHex(secret);

            Map<String, String> values = new LinkedHashMap<>();
            values.put("DB_HOST", db.host());
            values.put("DB_PORT", Integer.toString(db.port()));
            values.put("DB_NAME", db.name());
            values.put("DB_USER", db.user());
            values.put("DB_PASSWORD", db.password());
            values.put("CONF_DIR", dovecot.toString());
            values.put("POSTFIX_DIR", postfix.toString());
            values.put("LISTEN", HOST);
            values.put("IMAP_PORT", Integer.toString(imap));
            values.put("POP3_PORT", Integer.toString(pop3));
            values.put("LMTP_HOST", HOST);
            values.put("LMTP_PORT", Integer.toString(lmtp));
            values.put("SMTP_PORT", Integer.toString(smtp));
            values.put("MAIL_ROOT", mail.toString());
            values.put("MAIL_USER", mailUser);
            values.put("MAIL_GROUP", mailGroup);
            values.put("MAIL_UID", mailUid);
            values.put("MAIL_GID", mailGid);
            values.put("MASTER_USERS_FILE", dovecot.resolve("master-users").toString());
            values.put("POSTMASTER", "postmaster@mailstack.localhost");

            render(deploy.resolve("dovecot/dovecot-sql.conf.ext"), dovecot.resolve("dovecot-sql.conf.ext"), values);
            render(deploy.resolve("dovecot/dovecot-dict-sql.conf.ext"), dovecot.resolve("dovecot-dict-sql.conf.ext"), values);
            render(deploy.resolve("dovecot/conf.d/90-mailplane.conf"), dovecot.resolve("conf.d/90-mailplane.conf"), values);
            Files.writeString(dovecot.resolve("dovecot.conf"), dovecotInstance(dovecot, asRoot, mailUser, root.resolve("tls"), imaps));
            String hash = run(List.of("doveadm", "-c", dovecot.resolve("dovecot.conf").toString(), "pw", "-s", "SHA512-CRYPT",
                    "-p", masterPassword), true).strip();
            Files.writeString(dovecot.resolve("master-users"), MASTER_USER + ":" + hash + "\n");

            for (String map : List.of("domains", "mailboxes", "addresses", "aliases")) {
                render(deploy.resolve("postfix/mailplane-" + map + ".cf"), postfix.resolve("mailplane-" + map + ".cf"), values);
            }
            String fragment = substitute(Files.readString(deploy.resolve("postfix/main.cf.fragment")), values);
            Files.writeString(postfix.resolve("main.cf"), postfixInstance(postfix) + "\n" + fragment);
            Files.writeString(postfix.resolve("master.cf"), substitute(POSTFIX_MASTER_CF, values));
            return new MailStack(root, smtp, imap, pop3, lmtp, masterPassword, imaps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of this test instance only; the Mailplane part is the deploy fragment it includes. */
    private static String dovecotInstance(Path dir, boolean asRoot, String user, Path tls, int imapsPort) {
        String internalUser = asRoot ? "dovecot" : user;
        String loginUser = asRoot ? "dovenull" : user;
        return """
                # generated by io.mailplane.testing.MailStack for tests: a private Dovecot instance
                instance_name = mailstack-%1$s
                base_dir = %2$s/run
                state_dir = %2$s/state
                log_path = %2$s/dovecot.log
                info_log_path = %2$s/dovecot.log
                ssl = yes
                ssl_cert = <%5$s/server.pem
                ssl_key = <%5$s/server.key
                disable_plaintext_auth = no
                # tests fail logins on purpose: answer at once, no growing penalty for 127.0.0.1
                auth_failure_delay = 0
                login_trusted_networks = 127.0.0.0/8
                default_internal_user = %3$s
                default_login_user = %4$s
                service anvil {
                  chroot =
                }
                service imap-login {
                  chroot =
                  inet_listener imaps {
                    address = 127.0.0.1
                    port = %6$d
                    ssl = yes
                  }
                }
                service pop3-login {
                  chroot =
                  # no POP3S: its default port 995 is shared by every instance on the machine
                  inet_listener pop3s {
                    port = 0
                  }
                }
                !include %2$s/conf.d/90-mailplane.conf
                """.formatted(Integer.toHexString(dir.hashCode()), dir, internalUser, loginUser, tls, imapsPort);
    }

    private static String postfixInstance(Path dir) {
        return """
                # generated by io.mailplane.testing.MailStack for tests: a private Postfix instance
                compatibility_level = 3.6
                queue_directory = %1$s/spool
                data_directory = %1$s/data
                maillog_file = %1$s/postfix.log
                maillog_file_prefixes = %1$s
                syslog_name = postfix-mailstack
                myhostname = mailstack.localhost
                mydomain = localhost
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                smtputf8_enable = no
                biff = no
                alias_maps =
                alias_database =
                local_recipient_maps =
                # nothing leaves the machine: a forward to an address hosted elsewhere bounces
                default_transport = error:5.7.1 the test mail stack sends no mail off this machine
                relay_transport = error:5.7.1 the test mail stack sends no mail off this machine
                local_transport = error:5.1.1 no local delivery
                smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
                # deliver at once, retry fast
                queue_run_delay = 5s
                minimal_backoff_time = 5s
                maximal_backoff_time = 10s
                """.formatted(dir);
    }

    /** master.cf of the test instance: SMTP on a free loopback port, nothing chrooted. */
    private static final String POSTFIX_MASTER_CF = """
            # generated by io.mailplane.testing.MailStack for tests
            127.0.0.1:@SMTP_PORT@ inet n - n - - smtpd
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            proxywrite unix -       -       n       -       1       proxymap
            smtp      unix  -       -       n       -       -       smtp
            relay     unix  -       -       n       -       -       smtp
            showq     unix  n       -       n       -       -       showq
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            lmtp      unix  -       -       n       -       -       lmtp
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd
            """;

    private static void render(Path template, Path target, Map<String, String> values) throws IOException {
        Files.writeString(target, substitute(Files.readString(template), values));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static String substitute(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("@" + e.getKey() + "@", e.getValue());
        }
        int left = out.indexOf('@', 0);
        while (left >= 0) {
            int right = out.indexOf('@', left + 1);
            if (right > left + 1 && out.substring(left + 1, right).matches("[A-Z_]+")) {
                throw new IllegalStateException("unfilled placeholder " + out.substring(left, right + 1));
            }
            left = right;
        }
        return out;
    }

    /** Stops a stack an earlier test JVM left running in the same directory (it was killed). */
    private static void stopLeftovers(Path root) {
        if (Files.exists(root.resolve("postfix/main.cf"))) {
            run(List.of("postfix", "-c", root.resolve("postfix").toString(), "stop"), false);
        }
        if (Files.exists(root.resolve("dovecot/dovecot.conf"))) {
            Optional<Long> pid = pidOf(root.resolve("dovecot/run/master.pid"));
            run(List.of("dovecot", "-c", root.resolve("dovecot/dovecot.conf").toString(), "stop"), false);
            pid.ifPresent(p -> waitUntil("leftover Dovecot stopped", () -> !alive(p)));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // --- processes and sockets -------------------------------------------------------------------

    private static String id(String option, String user) {
        return run(List.of("id", option, user), true).strip();
    }

    private static String run(List<String> command, boolean check) {
        try {
            // output through a file, not a pipe: a daemon the command starts keeps its output open
            Path out = Files.createTempFile("mailstack", ".out");
            int status;
            String output;
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                status = p.waitFor();
                output = Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
            }
            if (check && status != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " failed (" + status + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Long> pidOf(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** {@code n} distinct free ports of {@link #HOST} (all held open while choosing, so none repeats). */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new java.util.ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(HOST, 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean greets(int port, String prefix) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            s.setSoTimeout(2000);
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return line != null && line.startsWith(prefix);
        } catch (IOException e) {
            return false;
        }
    }

    private interface Check {
        boolean ok();
    }

    /** Polls a readiness condition of an external process (it cannot tell us); fails after a minute. */
    private static void waitUntil(String what, Check check) {
        try {
            Awaitility.await(what).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(check::ok);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("mailstack: timed out waiting for " + what + " (see target/mailstack/*/*.log)");
        }
    }

    /** The test database, from the datasource settings the service under test uses. */
    private record Database(String host, int port, String name, String user, String password) {
        static Database fromConfig() {
            Optional<Config> config;
            try {
                config = Optional.of(ConfigProvider.getConfig());
            } catch (RuntimeException e) {
                config = Optional.empty();
            }
            String url = config.flatMap(c -> c.getOptionalValue("quarkus.datasource.jdbc.url", String.class))
                    .orElse(Optional.ofNullable(System.getenv("DB_URL")).orElse("jdbc:mysql://127.0.0.1:3306/mailplane_test"));
            String user = config.flatMap(c -> c.getOptionalValue("quarkus.datasource.username", String.class))
                    .orElse(Optional.ofNullable(System.getenv("DB_USER")).orElse("root"));
            String password = config.flatMap(c -> c.getOptionalValue("quarkus.datasource.password", String.class))
                    .orElse(Optional.ofNullable(System.getenv("DB_PASSWORD")).orElse(""));
            URI uri = URI.create(url.substring("jdbc:".length()));
            String path = uri.getPath().substring(1);
            return new Database(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(), path, user, password);
        }
    }
}
