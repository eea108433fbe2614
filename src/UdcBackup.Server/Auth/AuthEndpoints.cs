using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace UdcBackup.Server.Auth;

/// <summary>
/// <c>/api/auth</c>: sign in with user and password (a session token in the body and in the
/// <c>udc_session</c> cookie, HttpOnly and SameSite=Strict so other sites can neither read nor
/// send it), sign out (revokes that session, clears the cookie), and who am I. A failed sign-in
/// is a 401 that does not say whether the user or the password was wrong, and takes as long
/// either way (<see cref="PasswordHasher.SpendEqualTime"/>). Repeated failures lock the user for
/// the client's address, or everywhere (<see cref="SignInThrottle"/>): a 429 problem with
/// <c>Retry-After</c>, checked before the password so guessing cannot go on; the access middleware
/// audits it like every sign-in (target <c>user=NAME</c>, outcome 429). A disabled user with the
/// right password gets a 403 that says so; with a wrong one the same 401 as anyone.
/// </summary>
public static class AuthEndpoints
{
    /// <summary>How long a sign-in stays valid; <c>udc user token create</c> makes tokens that do not expire.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", Login).WithName("Login");
        group.MapPost("/logout", Logout).WithName("Logout");
        group.MapGet("/me", Me).WithName("CurrentUser");
        routes.MapUserEndpoints();
        return routes;
    }

    private static async Task<Results<Ok<LoginResult>, ProblemHttpResult>> Login(LoginRequest request, AuthStore store, SignInThrottle throttle, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var name = request.User?.Trim() ?? string.Empty;
        var password = request.Password ?? string.Empty;
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (throttle.LockedFor(name, address) is { } locked)
        {
            return Locked(http, name, locked);
        }

        var user = name.Length == 0 ? null : await store.FindUserAsync(name, cancellationToken);
        if (user is null)
        {
            PasswordHasher.SpendEqualTime(password);
            return throttle.Failed(name, address) is { } lockedNow ? Locked(http, name, lockedNow) : Failed();
        }

        if (!PasswordHasher.Verify(password, user.PasswordHash))
        {
            return throttle.Failed(name, address) is { } lockedNow ? Locked(http, name, lockedNow) : Failed();
        }

        throttle.Succeeded(name, address);
        if (user.DisabledAt is not null)
        {
            return TypedResults.Problem($"The user {user.Name} is disabled; an admin can enable it again (udc user enable {user.Name}).", statusCode: StatusCodes.Status403Forbidden, title: "Account disabled.");
        }

        var token = ApiTokens.Create();
        var hash = ApiTokens.HashOf(token);
        var now = time.GetUtcNow();
        await store.AddTokenAsync(hash, user.Name, AuthStore.SessionKind, "sign-in", now, now + SessionLifetime, cancellationToken);
        http.Features.Set(new SignedInUser(user.Name, user.Role, hash, AuthStore.SessionKind));
        http.Response.Cookies.Append(ApiAccessMiddleware.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = SessionLifetime,
        });
        return TypedResults.Ok(new LoginResult(user.Name, user.Role.Name(), token));
    }

    private static async Task<NoContent> Logout(AuthStore store, HttpContext http, CancellationToken cancellationToken)
    {
        // Only sessions end here; an API token is a credential someone handed out on purpose.
        if (http.Features.Get<SignedInUser>() is { TokenKind: AuthStore.SessionKind } user)
        {
            await store.RemoveTokenAsync(user.TokenHash, cancellationToken);
        }

        http.Response.Cookies.Delete(ApiAccessMiddleware.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
        return TypedResults.NoContent();
    }

    private static Ok<CurrentUser> Me(HttpContext http)
    {
        var user = http.Features.Get<SignedInUser>() ?? throw new InvalidOperationException("GET /api/auth/me ran without a signed-in user; the access rules must require one");
        return TypedResults.Ok(new CurrentUser(user.Name, user.Role.Name()));
    }

    private static ProblemHttpResult Locked(HttpContext http, string name, TimeSpan left)
    {
        var seconds = (int)Math.Ceiling(left.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"Too many failed sign-ins for '{name}'; sign-in is locked for {seconds} s. Wait, or ask an admin to check the audit log (udc user audit).",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Sign-in locked.",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    private static ProblemHttpResult Failed() =>
        TypedResults.Problem("The user name or the password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.");
}
