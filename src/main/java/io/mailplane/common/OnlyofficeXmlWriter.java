package io.mailplane.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Renders an {@link Onlyoffice.Envelope} as ONLYOFFICE's XML: the JSON tree under a
 * {@code <result>} root, booleans as {@code True}/{@code False}, list items as {@code <item>}.
 */
@Provider
@Produces({MediaType.APPLICATION_XML, MediaType.TEXT_XML})
@SuppressWarnings("rawtypes") // the raw type lets the writer match every Envelope<T>
public class OnlyofficeXmlWriter implements ServerMessageBodyWriter<Onlyoffice.Envelope> {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private final ObjectMapper mapper;

    public OnlyofficeXmlWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Onlyoffice.Envelope.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return Onlyoffice.Envelope.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(Onlyoffice.Envelope envelope, Type genericType, ServerRequestContext context) {
        document(mapper.valueToTree(envelope), context.getOrCreateOutputStream());
    }

    @Override
    public void writeTo(Onlyoffice.Envelope envelope, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out) {
        document(mapper.valueToTree(envelope), out);
    }

    /** The envelope as an XML document, for answers written outside JAX-RS (e.g. 413 before the body is read). */
    static String render(Onlyoffice.Envelope envelope) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        document(PLAIN.valueToTree(envelope), out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static void document(JsonNode root, OutputStream out) {
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            write(xml, "result", root);
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML rendering failed", e);
        }
    }

    private static void write(XMLStreamWriter xml, String name, JsonNode node) throws XMLStreamException {
        xml.writeStartElement(name);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                write(xml, field.getKey(), field.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                write(xml, "item", item);
            }
        } else if (node.isBoolean()) {
            xml.writeCharacters(node.booleanValue() ? "True" : "False");
        } else if (!node.isNull()) {
            xml.writeCharacters(xmlSafe(node.asText()));
        }
        xml.writeEndElement();
    }

    /** Replaces what XML 1.0 cannot carry (C0 controls but tab/CR/LF, U+FFFE/U+FFFF, lone surrogates) with U+FFFD. */
    static String xmlSafe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (ok) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                ok = !Character.isLowSurrogate(c) && (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xFFFD));
            }
            if (!ok && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(ok ? c : '\uFFFD');
            }
        }
        return out == null ? text : out.toString();
    }
}
