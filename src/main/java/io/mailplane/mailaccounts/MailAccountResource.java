package io.mailplane.mailaccounts;

import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.common.Onlyoffice.Envelope;
import io.mailplane.mailaccounts.MailAccountDtos.Account;
import io.mailplane.mailaccounts.MailAccountDtos.AccountRequest;
import io.mailplane.mailaccounts.MailAccountDtos.AutoreplyRequest;
import io.mailplane.mailaccounts.MailAccountDtos.DefaultRequest;
import io.mailplane.mailaccounts.MailAccountDtos.SignatureRequest;
import io.mailplane.mailaccounts.MailAccountDtos.SimpleRequest;
import io.mailplane.mailaccounts.MailAccountDtos.StateRequest;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * ONLYOFFICE's mail-accounts API for the calling user: external IMAP or POP3 mailboxes with
 * their SMTP server, proven to work before they are kept. Answers are ONLYOFFICE envelopes,
 * JSON or (with {@code Accept: application/xml} or a {@code .xml} suffix) XML.
 */
@Path("/api/2.0/mail")
@Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
@Consumes(MediaType.APPLICATION_JSON)
@Access(Scheme.USER)
@SecurityRequirement(name = "basicAuth")
@Tag(name = "Mail accounts")
public class MailAccountResource {
    private final MailAccountService service;
    private final Caller caller;

    public MailAccountResource(MailAccountService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("accounts")
    @Operation(operationId = "listMailAccounts", summary = "List the caller's external accounts")
    public Envelope<List<Account>> list() {
        List<Account> accounts = service.list(userPk()).stream().map(Account::of).toList();
        return Envelope.ok(200, accounts);
    }

    @GET
    @Path("accounts/single")
    @Operation(operationId = "getMailAccount", summary = "Get one external account by its address")
    public Envelope<Account> single(@QueryParam("email") @Parameter(description = "the account's address", required = true) String email) {
        String address = Addresses.require("email", email);
        return Envelope.ok(200, Account.of(service.find(userPk(), address).orElseThrow(() -> MailAccountService.notFound(address))));
    }

    @POST
    @Path("accounts")
    @APIResponse(responseCode = "201", description = "Verified and created", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EnvelopeAccount")),
        @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(ref = "EnvelopeAccount"))})
    @APIResponse(responseCode = "200", description = "Verified; the caller's account with this address was updated", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EnvelopeAccount")),
        @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(ref = "EnvelopeAccount"))})
    @Operation(operationId = "createMailAccount", summary = "Create an account using full information about mail servers",
            description = "Logs in to the IMAP (or POP3) server and to the SMTP server first; a failure is a 400 naming the side, the phase and the server's reply, and nothing is stored. Posting an address the caller already has updates that account and keeps its mailboxId (200).")
    public Envelope<Account> create(@Valid @NotNull AccountRequest body) {
        return saved(service.save(caller.account(), body, true));
    }

    @PUT
    @Path("accounts")
    @Operation(operationId = "updateMailAccount", summary = "Update an account", description = "An empty or omitted password keeps the stored one. The servers are verified again before anything changes.")
    public Envelope<Account> update(@Valid @NotNull AccountRequest body) {
        return Envelope.ok(200, Account.of(service.save(caller.account(), body, false).account()));
    }

    @POST
    @Path("accounts/simple")
    @APIResponse(responseCode = "201", description = "Verified and created", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EnvelopeAccount")),
        @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(ref = "EnvelopeAccount"))})
    @APIResponse(responseCode = "200", description = "Verified; the caller's account with this address was updated", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EnvelopeAccount")),
        @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(ref = "EnvelopeAccount"))})
    @Operation(operationId = "createMailAccountSimple", summary = "Create an account from its address and password",
            description = "Tries the configured provider settings for the address's domain, then settings learned from earlier verified accounts on it, and keeps the first that works.")
    public Envelope<Account> simple(@Valid @NotNull SimpleRequest body) {
        return saved(service.simple(caller.account(), body.email(), body.password()));
    }

    @DELETE
    @Path("accounts")
    @Operation(operationId = "deleteMailAccount", summary = "Delete an account", description = "Answers the deleted address.")
    public Envelope<String> delete(@QueryParam("email") @Parameter(description = "the account's address", required = true) String email) {
        String address = Addresses.require("email", email);
        service.delete(userPk(), address).orElseThrow(() -> MailAccountService.notFound(address));
        return Envelope.ok(200, address);
    }

    @PUT
    @Path("accounts/state")
    @Operation(operationId = "setMailAccountState", summary = "Enable or disable an account", description = "Enabling verifies the stored settings again.")
    public Envelope<Account> state(@Valid @NotNull StateRequest body) {
        String address = Addresses.require("email", body.email());
        return Envelope.ok(200, Account.of(service.setState(userPk(), address, body.state())
                .orElseThrow(() -> MailAccountService.notFound(address))));
    }

    @PUT
    @Path("accounts/default")
    @Operation(operationId = "setDefaultMailAccount", summary = "Make an account the default one", description = "At most one account is the default.")
    public Envelope<Account> setDefault(@Valid @NotNull DefaultRequest body) {
        String address = Addresses.require("email", body.email());
        return Envelope.ok(200, Account.of(service.setDefault(userPk(), address, body.isDefault())
                .orElseThrow(() -> MailAccountService.notFound(address))));
    }

    @POST
    @Path("signature/update/{mailboxId}")
    @Operation(operationId = "updateMailAccountSignature", summary = "Update an account's signature", description = "The HTML is sanitised: no scripts, no event handlers, no styles.")
    public Envelope<MailAccountDtos.Signature> signature(@PathParam("mailboxId") @Parameter(description = "the account's mailboxId") String mailboxId,
                              @Valid @NotNull SignatureRequest body) {
        long id = Ids.positiveLong("mailboxId", mailboxId);
        return Envelope.ok(200, MailAccountDtos.signature(service.signature(userPk(), id, body).orElseThrow(() -> unknown(id))));
    }

    @POST
    @Path("autoreply/update/{mailboxId}")
    @Operation(operationId = "updateMailAccountAutoreply", summary = "Update an account's auto-reply", description = "Dates are UTC, e.g. 2020-10-01T17:04:32.0000000; toDate is required when turnOnToDate is true.")
    public Envelope<MailAccountDtos.Autoreply> autoreply(@PathParam("mailboxId") @Parameter(description = "the account's mailboxId") String mailboxId,
                              @Valid @NotNull AutoreplyRequest body) {
        long id = Ids.positiveLong("mailboxId", mailboxId);
        return Envelope.ok(200, MailAccountDtos.autoreply(service.autoreply(userPk(), id, body).orElseThrow(() -> unknown(id))));
    }

    private long userPk() {
        return caller.account().userPk();
    }

    /** 201 for a new account, 200 for an updated one; the envelope's statusCode becomes the HTTP status. */
    private static Envelope<Account> saved(MailAccountService.Saved saved) {
        return Envelope.ok(saved.created() ? 201 : 200, Account.of(saved.account()));
    }

    private static ApiException unknown(long id) {
        return new ApiException(ErrorCode.MAIL_ACCOUNT_NOT_FOUND, "There is no external account with mailboxId " + id + ".");
    }
}
