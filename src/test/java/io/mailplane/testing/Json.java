package io.mailplane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers read with Jackson, for the helpers every test goes through (fixtures, the access matrix,
 * the bad-input table). REST Assured's path expressions ({@code body("a.b", ...)},
 * {@code jsonPath()}) compile a Groovy script on every evaluation, which made the test client the
 * suite's largest CPU consumer; one-off assertions in feature tests keep using them.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The answer's body as a tree (a missing node for an empty body); an answer that is not JSON fails the test. */
    public static JsonNode of(Response response) {
        try {
            return MAPPER.readTree(response.asByteArray());
        } catch (IOException e) {
            throw new AssertionError("the answer is not JSON: " + response.asString(), e);
        }
    }

    /** The answer's numeric {@code field}; fails when it is absent or not a whole number. */
    public static long number(Response response, String field) {
        JsonNode value = of(response).path(field);
        if (!value.isIntegralNumber()) {
            throw new AssertionError("the answer has no whole number " + field + ": " + response.asString());
        }
        return value.asLong();
    }

    /** True for a string with at least one character. */
    public static boolean isNonEmptyText(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty();
    }

    /** True for the whole number {@code expected}. */
    public static boolean isNumber(JsonNode node, long expected) {
        return node.isIntegralNumber() && node.asLong() == expected;
    }

    /** {@code field} of each object of an array (null where an element has no text there). */
    public static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.path(field).isTextual() ? element.path(field).asText() : null));
        return texts;
    }
}
