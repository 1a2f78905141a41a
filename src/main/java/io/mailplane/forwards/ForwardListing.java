package io.mailplane.forwards;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One page of a context's forwarding aliases as the JSON object alias → recipients, encoded
 * straight from the database rows by a Jackson generator (no map or list of the page is built;
 * the bytes are those Jackson writes for a {@code Map<String, List<String>>}).
 *
 * <p>The rows are encoded into memory while the query's connection is held, then the connection
 * is returned, and only then does the answer go to the client: a slow client never holds a
 * database connection, and a failure while reading still becomes a proper problem response
 * instead of a cut-off 200. The buffer is the encoded page itself (about 120 bytes per recipient;
 * 1.2 MB for 10,000 aliases × 3 recipients), smaller than the rows the driver has already read.
 */
public final class ForwardListing implements StreamingOutput {
    private final ByteArrayOutputStream json;

    private ForwardListing(ByteArrayOutputStream json) {
        this.json = json;
    }

    /** A page read by {@code read}, which hands each alias/recipient row to the encoder. */
    static ForwardListing encode(JsonFactory factory, Reader read) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        try (JsonGenerator out = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            out.writeStartObject();
            String[] current = {null};
            read.rows((alias, recipient) -> {
                if (!alias.equals(current[0])) {
                    if (current[0] != null) {
                        out.writeEndArray();
                    }
                    out.writeFieldName(alias);
                    out.writeStartArray();
                    current[0] = alias;
                }
                if (recipient != null) {
                    out.writeString(recipient);
                }
            });
            if (current[0] != null) {
                out.writeEndArray();
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the forwards listing failed", e);
        }
        return new ForwardListing(buffer);
    }

    /** Reads the page's rows into the given sink (see {@link ForwardRepository#page}). */
    @FunctionalInterface
    public interface Reader {
        void rows(ForwardRepository.PageRows sink) throws IOException;
    }

    @Override
    public void write(OutputStream output) throws IOException {
        json.writeTo(output);
    }
}
