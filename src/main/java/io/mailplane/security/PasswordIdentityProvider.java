package io.mailplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Basic credentials → the accounts they open, in every realm. A cache hit is answered at once;
 * a password check is throttled ({@link LoginThrottle}), and one check runs per set of credentials
 * at a time ({@link CredentialVerifier#flight}).
 */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private static final Duration FOLLOWER_WAIT = CredentialVerifier.FOLLOWER_WAIT;
    private final CredentialVerifier verifier;
    private final LoginThrottle throttle;

    public PasswordIdentityProvider(CredentialVerifier verifier, LoginThrottle throttle) {
        this.verifier = verifier;
        this.throttle = throttle;
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
        // Requests with the same credentials while their check is under way share its answer,
        // unthrottled: the leader was charged for them.
        CredentialCache.Flight flight = verifier.flight(login, password, pathContext);
        if (flight != null && !flight.leader()) {
            return Uni.createFrom().completionStage(flight.answer())
                    .ifNoItem().after(FOLLOWER_WAIT).failWith(AuthenticationFailedException::new)
                    .map(accounts -> identity(login, accounts));
        }
        // A password check follows: the client address (and the accounts of this name, when known)
        // must have failures left, else 429 at once.
        LoginThrottle.Attempt attempt;
        try {
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            attempt = throttle.begin(LoginThrottle.addressOf(http == null ? null : http.request().remoteAddress()), login, pathContext);
        } catch (RuntimeException refused) {
            verifier.land(flight, null, refused);
            return Uni.createFrom().failure(refused);
        }
        return context.runBlocking(() -> {
            List<Account> accounts;
            try {
                accounts = verifier.authenticate(login, password, pathContext, attempt);
            } catch (RuntimeException | Error e) {
                verifier.land(flight, null, e);
                throw e;
            }
            verifier.land(flight, accounts, null);
            return identity(login, accounts);
        });
    }

    private static SecurityIdentity identity(String login, List<Account> accounts) {
        if (accounts.isEmpty()) {
            throw new AuthenticationFailedException();
        }
        return Identities.of(login, accounts);
    }
}
