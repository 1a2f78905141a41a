package io.mailplane.domains;

import java.util.List;

/** Wire shapes of the domain endpoints (OX). */
public final class DomainDtos {
    private DomainDtos() {
    }

    public record Domain(String domain) {
    }

    public record Domains(List<String> domains) {
    }
}
