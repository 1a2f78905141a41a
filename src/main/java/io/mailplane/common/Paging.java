package io.mailplane.common;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** {@code limit}/{@code offset} paging of list endpoints: default 100, maximum 1000. */
public class Paging {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    @QueryParam("limit")
    @DefaultValue("100")
    @Min(1)
    @Max(MAX_LIMIT)
    @Parameter(description = "Page size (default 100, maximum 1000)")
    public int limit = DEFAULT_LIMIT;

    @QueryParam("offset")
    @DefaultValue("0")
    @Min(0)
    @Max(Integer.MAX_VALUE)
    @Parameter(description = "Number of entries to skip (default 0)")
    public int offset;

    public static Paging of(int limit, int offset) {
        Paging paging = new Paging();
        paging.limit = limit;
        paging.offset = offset;
        return paging;
    }
}
