package io.mailplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

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
        String login = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        String pathContext = (String) request.getAttribute(MailplaneAuthMechanism.PATH_CONTEXT);
        // The warm path answers from the cache without leaving the calling thread.
        Optional<List<Account>> cached = verifier.cached(login, password, pathContext);
        if (cached.isPresent()) {
            return Uni.createFrom().item(Identities.of(login, cached.get()));
        }
        return context.runBlocking(() -> {
            List<Account> accounts = verifier.authenticate(login, password, pathContext);
            if (accounts.isEmpty()) {
                throw new AuthenticationFailedException();
            }
            return Identities.of(login, accounts);
        });
    }
}
