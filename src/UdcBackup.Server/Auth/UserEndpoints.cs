using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace UdcBackup.Server.Auth;

/// <summary>
/// <c>/api/users</c> (admin): list and create users; <c>POST /api/users/{user}/tokens</c> (admin,
/// or the user for itself): a new API token, shown once. Names are lowercase
/// <c>[a-z0-9][a-z0-9._-]*</c> up to 64 characters so they read the same in logs, the audit and
/// the CLI; passwords need <see cref="PasswordHasher.MinimumLength"/> characters. Any problem is
/// a 400 (409 for a taken name) and nothing is stored. <c>GET /api/audit?limit=</c> (admin): the
/// newest audit rows first. Token lists, revocation, deleting and disabling users are in
/// <see cref="AccountEndpoints"/>.
/// </summary>
public static partial class UserEndpoints
{
    private const int MaxAuditLimit = 1000;

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users");
        group.MapGet("/", List).WithName("ListUsers");
        group.MapPost("/", Create).WithName("CreateUser");
        group.MapPost("/{user}/tokens", CreateToken).WithName("CreateUserToken");
        AccountEndpoints.Map(group);
        routes.MapGet("/api/audit", Audit).WithTags("Audit").WithName("ListAudit");
        return routes;
    }

    private static async Task<Ok<List<UserInfo>>> List(AuthStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListUsersAsync(cancellationToken)).Select(ToInfo).ToList());

    private static async Task<Results<Created<UserInfo>, ProblemHttpResult>> Create(CreateUserRequest request, AuthStore store, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var name = request.User?.Trim() ?? string.Empty;
        if (!ValidName().IsMatch(name))
        {
            return Bad($"user '{request.User}' is not a valid name: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, up to 64 characters.");
        }

        if (!RoleNames.TryParse(request.Role, out var role))
        {
            return Bad($"role '{request.Role}' is not a role; use one of: {string.Join(", ", RoleNames.All)}.");
        }

        if ((request.Password ?? string.Empty).Length < PasswordHasher.MinimumLength)
        {
            return Bad($"the password needs at least {PasswordHasher.MinimumLength} characters.");
        }

        var by = http.Features.Get<SignedInUser>()?.Name;
        if (!await store.CreateUserAsync(name, role, PasswordHasher.Hash(request.Password!), by, time.GetUtcNow(), cancellationToken))
        {
            return TypedResults.Problem($"There is already a user '{name}'.", statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state.");
        }

        var created = await store.FindUserAsync(name, cancellationToken);
        return TypedResults.Created($"/api/users/{Uri.EscapeDataString(name)}", ToInfo(created!));
    }

    private static async Task<Results<Created<TokenCreated>, ProblemHttpResult>> CreateToken(string user, CreateTokenRequest? request, AuthStore store, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Features.Get<SignedInUser>()!;
        if (caller.Role < UserRole.Admin && caller.Name != user)
        {
            return TypedResults.Problem($"{caller.Name} may create tokens only for itself; creating one for {user} needs the role admin.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.");
        }

        if (await store.FindUserAsync(user, cancellationToken) is null)
        {
            return TypedResults.Problem($"There is no user '{user}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");
        }

        var label = string.IsNullOrWhiteSpace(request?.Label) ? null : request.Label.Trim();
        var token = ApiTokens.Create();
        await store.AddTokenAsync(ApiTokens.HashOf(token), user, AuthStore.ApiKind, label, time.GetUtcNow(), null, cancellationToken);
        return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user)}", new TokenCreated(token, user, label));
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult>> Audit(int? limit, AuthStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxAuditLimit)
        {
            return Bad($"limit must be between 1 and {MaxAuditLimit}, was {limit}.");
        }

        return TypedResults.Ok(await store.ListAuditAsync(limit ?? 100, cancellationToken));
    }

    private static UserInfo ToInfo(StoredUser u) => new(u.Name, u.Role.Name(), u.CreatedAt, u.CreatedBy, u.DisabledAt is not null);

    private static ProblemHttpResult Bad(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ValidName();
}
