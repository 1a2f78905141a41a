package io.mailplane.mailaccounts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * ONLYOFFICE's authentication types; JSON accepts the code ({@code 0|1|4|5}) or the name.
 * {@code None} and {@code Login} both log in with the server's plain mechanisms (IMAP LOGIN,
 * POP3 USER/PASS, SMTP AUTH LOGIN/PLAIN); for SMTP, {@code smtp_auth=false} turns
 * authentication off. {@code OAuth2} sends the password field as an XOAUTH2 access token.
 */
public enum AuthType {
    None(0), Login(1), CramMd5(4), OAuth2(5);

    public final int code;

    AuthType(int code) {
        this.code = code;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AuthType of(JsonNode node) {
        return Codes.parse(node, values(), a -> a.code, "None, Login, CramMd5, OAuth2 or 0, 1, 4, 5");
    }

    public static AuthType ofCode(int code) {
        return Arrays.stream(values()).filter(a -> a.code == code).findFirst().orElseThrow();
    }

    @JsonValue
    public String json() {
        return name();
    }
}
