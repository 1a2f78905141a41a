package io.mailplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Basic credentials → the accounts they open, in every realm. */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private final CredentialVerifier verifier;

    public PasswordIdentityProvider(CredentialVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            List<Account> accounts = verifier.authenticate(request.getUsername(),
                    new String(request.getPassword().getPassword()),
                    (String) request.getAttribute(MailplaneAuthMechanism.PATH_CONTEXT));
            if (accounts.isEmpty()) {
                throw new AuthenticationFailedException();
            }
            return Identities.of(request.getUsername(), accounts);
        });
    }
}
