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
import java.util.regex.Pattern;
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
        writeTo(envelope, context.getOrCreateOutputStream());
    }

    @Override
    public void writeTo(Onlyoffice.Envelope envelope, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out) {
        writeTo(envelope, out);
    }

    private void writeTo(Onlyoffice.Envelope envelope, OutputStream out) {
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            write(xml, "result", mapper.valueToTree(envelope));
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML rendering failed", e);
        }
    }

    /** XML 1.0 cannot carry most control characters, not even escaped: they become U+FFFD. */
    private static final Pattern NOT_XML = Pattern.compile("[^\\x09\\x0A\\x0D\\x20-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]");

    static String xmlText(String text) {
        return NOT_XML.matcher(text).replaceAll("\uFFFD");
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
            xml.writeCharacters(xmlText(node.asText()));
        }
        xml.writeEndElement();
    }
}
