using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Account safety under <c>/api/users</c>: <c>GET /{user}/tokens</c> lists a user's tokens without
/// secrets, the caller's own marked current (<see cref="TokenInfo"/>), <c>DELETE /{user}/tokens/{id}</c> revokes one (both admin, or
/// the user for itself); <c>DELETE /{user}</c> deletes a user with its tokens, <c>POST
/// /{user}/disable</c> and <c>/enable</c> switch it off and on, <c>PUT /{user}/role</c> gives it
/// another role, <c>POST /{user}/password</c> sets a new password and ends its sign-in sessions
/// (all admin). The last enabled admin can be neither deleted, disabled nor demoted (409); nobody deletes or disables the account it is signed in with (409). Whatever a change takes away is refused at once: tokens
/// are looked up on every request, and requests already running under them (an open live stream)
/// are aborted through <see cref="SignedInRequests"/>, except the request making the change.
/// </summary>
public static partial class AccountEndpoints
{
    /// <summary>How many hex digits of a token's hash name it.</summary>
    public const int IdLength = 16;

    internal static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/{user}/tokens", ListTokens).WithName("ListUserTokens");
        group.MapDelete("/{user}/tokens/{id}", RevokeToken).WithName("RevokeUserToken");
        group.MapDelete("/{user}", Delete).WithName("DeleteUser");
        group.MapPost("/{user}/disable", Disable).WithName("DisableUser");
        group.MapPost("/{user}/enable", Enable).WithName("EnableUser");
        group.MapPut("/{user}/role", ChangeRole).WithName("ChangeUserRole");
        group.MapPost("/{user}/password", SetPassword).WithName("ResetUserPassword");
    }

    private static async Task<Results<Ok<List<TokenInfo>>, ProblemHttpResult>> ListTokens(string user, AuthStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (SelfOrAdmin(http, user, "list the tokens of") is { } refused)
        {
            return refused;
        }

        if (await store.FindUserAsync(user, cancellationToken) is null)
        {
            return NoUser(user);
        }

        var tokens = await store.ListTokensAsync(user, cancellationToken);
        var caller = http.Features.Get<SignedInUser>()?.TokenHash;
        return TypedResults.Ok(tokens.Select(t => new TokenInfo(t.Hash[..IdLength], t.Kind, t.Label, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, string.Equals(t.Hash, caller, StringComparison.Ordinal))).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(string user, string id, AuthStore store, SignedInRequests requests, HttpContext http, CancellationToken cancellationToken)
    {
        if (SelfOrAdmin(http, user, "revoke the tokens of") is { } refused)
        {
            return refused;
        }

        if (!TokenId().IsMatch(id))
        {
            return TypedResults.Problem($"'{id}' is not a token id: {IdLength} to 64 lowercase hex digits, as udc user token list shows them.", statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.");
        }

        var revoked = await store.RevokeTokensAsync(user, id, cancellationToken);
        if (revoked.Count == 0)
        {
            return TypedResults.Problem($"{user} has no token {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");
        }

        requests.AbortWhere(u => revoked.Contains(u.TokenHash, StringComparer.Ordinal), http);
        return TypedResults.NoContent();
    }

    private static Task<Results<NoContent, ProblemHttpResult>> Delete(string user, AuthStore store, SignedInRequests requests, HttpContext http, CancellationToken cancellationToken) =>
        RemoveAsync(user, null, store, requests, http, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> Disable(string user, AuthStore store, SignedInRequests requests, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
        RemoveAsync(user, time.GetUtcNow(), store, requests, http, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> Enable(string user, AuthStore store, CancellationToken cancellationToken) =>
        await store.EnableUserAsync(user, cancellationToken) ? TypedResults.NoContent() : NoUser(user);

    private static async Task<Results<Ok<UserInfo>, ProblemHttpResult>> ChangeRole(string user, ChangeRoleRequest request, AuthStore store, SignedInRequests requests, HttpContext http, CancellationToken cancellationToken)
    {
        if (!RoleNames.TryParse(request.Role, out var role))
        {
            return TypedResults.Problem($"role '{request.Role}' is not a role; use one of: {string.Join(", ", RoleNames.All)}.", statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.");
        }

        switch (await store.ChangeRoleAsync(user, role, cancellationToken))
        {
            case UserRemoval.NotFound:
                return NoUser(user);
            case UserRemoval.LastAdmin:
                return LastAdmin(user);
        }

        // Open streams were authorized with the old role; they end and reconnect under the new one.
        requests.AbortWhere(u => u.Name == user, http);
        var changed = (await store.FindUserAsync(user, cancellationToken))!;
        return TypedResults.Ok(new UserInfo(changed.Name, changed.Role.Name(), changed.CreatedAt, changed.CreatedBy, changed.DisabledAt is not null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetPassword(string user, SetPasswordRequest request, AuthStore store, SignedInRequests requests, HttpContext http, CancellationToken cancellationToken)
    {
        if ((request.Password ?? string.Empty).Length < PasswordHasher.MinimumLength)
        {
            return TypedResults.Problem($"the password needs at least {PasswordHasher.MinimumLength} characters.", statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.");
        }

        var ended = await store.SetPasswordAsync(user, PasswordHasher.Hash(request.Password!), cancellationToken);
        if (ended is null)
        {
            return NoUser(user);
        }

        requests.AbortWhere(u => ended.Contains(u.TokenHash, StringComparer.Ordinal), http);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string user, DateTimeOffset? disableAt, AuthStore store, SignedInRequests requests, HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Features.Get<SignedInUser>() is { } caller && caller.Name == user)
        {
            var users = await store.ListUsersAsync(cancellationToken);
            if (!users.Any(u => u.Name != user && u.Role == UserRole.Admin && u.DisabledAt is null))
            {
                return LastAdmin(user);
            }

            var what = disableAt is null ? "deleted" : "disabled";
            return TypedResults.Problem(
                $"{user} is the account this request is signed in with; it is {what} by another admin, not by itself (its session and every token of it would end with this request).",
                statusCode: StatusCodes.Status409Conflict,
                title: "The request conflicts with the current state.");
        }

        switch (await store.RemoveUserAsync(user, disableAt, cancellationToken))
        {
            case UserRemoval.NotFound:
                return NoUser(user);
            case UserRemoval.LastAdmin:
                return LastAdmin(user);
            default:
                requests.AbortWhere(u => u.Name == user, http);
                return TypedResults.NoContent();
        }
    }

    private static ProblemHttpResult? SelfOrAdmin(HttpContext http, string user, string what)
    {
        var caller = http.Features.Get<SignedInUser>() ?? throw new InvalidOperationException("an account endpoint ran without a signed-in user; the access rules must require one");
        return caller.Role < UserRole.Admin && caller.Name != user
            ? TypedResults.Problem($"{caller.Name} may {what} itself only; doing it for {user} needs the role admin.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.")
            : null;
    }

    private static ProblemHttpResult LastAdmin(string user) =>
        TypedResults.Problem(
            $"{user} is the last enabled admin; create or enable another admin first, or nobody could manage the controller.",
            statusCode: StatusCodes.Status409Conflict,
            title: "The request conflicts with the current state.");

    private static ProblemHttpResult NoUser(string user) =>
        TypedResults.Problem($"There is no user '{user}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    [GeneratedRegex("^[0-9a-f]{16,64}$")]
    private static partial Regex TokenId();
}
