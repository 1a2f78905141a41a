package io.mailplane.common;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send (bare CR/LF/NUL in headers,
 * spaces in the target, endless chunked bodies), and a look at the service log they leave behind.
 */
final class RawHttp {
    private static final Path LOG = Path.of("target", "test-service.log");
    private static final Pattern ERROR_ENTRY = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*$");

    private RawHttp() {
    }

    /** One parsed answer; {@code closed} when the server closed the connection after it. */
    record Answer(int status, Map<String, String> headers, String body, boolean closed) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonPath json() {
            return JsonPath.from(body);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    static int port() {
        return RestAssured.port;
    }

    static Answer send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer send(byte[] request) throws IOException {
        return send(port(), request, null);
    }

    /** Sends {@code head}, then {@code body} from another thread (the server may answer and close before it is all sent). */
    static Answer send(int port, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            Thread writer = null;
            if (body != null) {
                writer = new Thread(() -> {
                    try {
                        for (int i = 0; i < body.length; i += 8192) {
                            out.write(body, i, Math.min(8192, body.length - i));
                        }
                        out.flush();
                    } catch (IOException e) {
                        // the server refused the body and closed the connection: expected
                    }
                });
                writer.setDaemon(true);
                writer.start();
            }
            return read(socket);
        }
    }

    private static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            throw new IOException("the server closed the connection without an answer");
        }
        String[] lines = text.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        boolean closed;
        socket.setSoTimeout(500);
        try {
            closed = in.read() == -1;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = true;
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), closed);
    }

    /** The service log's length now, to look only at what follows. */
    static long logMark() throws IOException {
        return Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    /** ERROR entries the service logged since {@code mark}. */
    static List<String> errorsSince(long mark) throws IOException {
        byte[] all = Files.readAllBytes(LOG);
        String added = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark), StandardCharsets.UTF_8);
        return ERROR_ENTRY.matcher(added).results().map(m -> m.group()).toList();
    }
}
