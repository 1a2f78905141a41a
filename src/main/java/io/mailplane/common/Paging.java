package io.mailplane.common;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * {@code limit}/{@code offset} paging of list endpoints: limit 1-1000 (default 100), offset
 * from 0. Taken as text so that a non-number is a 400 problem rather than JAX-RS's 404.
 */
public class Paging {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    @QueryParam("limit")
    @DefaultValue("100")
    @Pattern(regexp = "0*([1-9][0-9]{0,2}|1000)", message = "must be a whole number from 1 to 1000")
    @Parameter(description = "Page size: 1 to 1000, default 100",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
    String limit = Integer.toString(DEFAULT_LIMIT);

    @QueryParam("offset")
    @DefaultValue("0")
    @Pattern(regexp = "[0-9]{1,9}", message = "must be a whole number from 0 to 999999999")
    @Parameter(description = "Entries to skip, default 0",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "0", maximum = "999999999", defaultValue = "0"))
    String offset = "0";

    public int limit() {
        return Integer.parseInt(limit);
    }

    public int offset() {
        return Integer.parseInt(offset);
    }

    /** Index of the last entry of the page, for Panache's {@code range}. */
    public int last() {
        return offset() + limit() - 1;
    }
}
