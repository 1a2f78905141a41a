package io.mailplane.mailaccounts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/** ONLYOFFICE's encryption types; JSON accepts the code ({@code 0|1|2}) or the name. */
public enum Encryption {
    None(0), SSL(1), StartTLS(2);

    public final int code;

    Encryption(int code) {
        this.code = code;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Encryption of(JsonNode node) {
        return Codes.parse(node, values(), e -> e.code, "None, SSL, StartTLS or 0, 1, 2");
    }

    public static Encryption ofCode(int code) {
        return Arrays.stream(values()).filter(e -> e.code == code).findFirst().orElseThrow();
    }

    @JsonValue
    public String json() {
        return name();
    }
}
