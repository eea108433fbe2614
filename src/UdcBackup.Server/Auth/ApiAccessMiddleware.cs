using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Signs in, authorizes and audits every <c>/api</c> request, after routing (so the matched
/// route pattern picks the rule from <see cref="AccessRules"/>) and before the endpoint runs.
/// The token comes from <c>Authorization: Bearer</c>, else the <c>udc_session</c> cookie (which
/// browsers also send with EventSource streams); an unknown or expired token counts as none.
/// No user where one is needed is a 401, a role too low a 403, both as problem details that
/// name no secret. Every change request, and every refused request, gets an audit row with the
/// user, the endpoint's name as action, its target and the final status code; an endpoint that
/// throws is recorded as 500. A signed-in request is tracked in <see cref="SignedInRequests"/>
/// while it runs, so revoking its token or removing its user aborts it. If the audit row cannot be written the request's answer stands and
/// the failure is logged: refusing service because the log is full would hide the problem.
/// </summary>
internal sealed class ApiAccessMiddleware
{
    /// <summary>The browser's session cookie.</summary>
    public const string CookieName = "udc_session";

    private readonly RequestDelegate _next;
    private readonly AuthStore _store;
    private readonly TimeProvider _time;
    private readonly Serilog.ILogger _logger;
    private readonly SignedInRequests _requests;

    public ApiAccessMiddleware(RequestDelegate next, AuthStore store, SignedInRequests requests, TimeProvider time, Serilog.ILogger logger)
    {
        _next = next;
        _store = store;
        _requests = requests;
        _time = time;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context, Microsoft.AspNetCore.Http.IProblemDetailsService problems)
    {
        if (!AccessRules.IsApi(context.Request.Path))
        {
            await _next(context);
            return;
        }

        AuditTarget.Prepare(context.Request);
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var rule = AccessRules.For(context.Request.Method, endpoint?.RoutePattern.RawText, context.Request.Path);
        var user = await AuthenticateAsync(context);
        if (user is not null)
        {
            context.Features.Set(user);
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.Name())],
                authenticationType: "udc-token",
                nameType: ClaimTypes.Name,
                roleType: ClaimTypes.Role));
        }

        if (rule.Required is { } required && (user is null || user.Role < required))
        {
            var status = user is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            await AuditAsync(context, endpoint, user, status);
            await RefuseAsync(context, problems, user, required, status);
            return;
        }

        // Tracked while it runs, so a revocation ends a stream that is already open.
        using var tracked = user is null ? null : _requests.Track(context, user);
        if (!rule.Audited)
        {
            await _next(context);
            return;
        }

        var outcome = StatusCodes.Status500InternalServerError;
        try
        {
            await _next(context);
            outcome = context.Response.StatusCode;
        }
        finally
        {
            // Sign-in sets who signed in, so the audit row of a sign-in names the user.
            await AuditAsync(context, endpoint, context.Features.Get<SignedInUser>() ?? user, outcome);
        }
    }

    /// <summary>The token a request carries: the bearer header, else the session cookie.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim() is { Length: > 0 } token ? token : null;
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrWhiteSpace(cookie) ? cookie : null;
    }

    private async Task<SignedInUser?> AuthenticateAsync(HttpContext context) =>
        TokenOf(context.Request) is { } token
            ? await _store.ResolveTokenAsync(ApiTokens.HashOf(token), _time.GetUtcNow(), context.RequestAborted)
            : null;

    private static async Task RefuseAsync(HttpContext context, Microsoft.AspNetCore.Http.IProblemDetailsService problems, SignedInUser? user, UserRole required, int status)
    {
        // A token that was sent but is not (or no longer) valid is not the same mistake as none:
        // "sign in first" would send a script's operator looking for a missing setting.
        var refusedToken = user is null && TokenOf(context.Request) is not null;
        var problem = user is null
            ? new ProblemDetails
            {
                Status = status,
                Title = refusedToken ? "The token was refused." : "Not signed in.",
                Detail = refusedToken
                    ? "The bearer token or session cookie sent is not valid: wrong, expired or revoked, or its user is disabled or deleted. Sign in again: POST /api/auth/login (udc login)."
                    : "Sign in first: POST /api/auth/login, or send Authorization: Bearer TOKEN (udc: --token, UDC_TOKEN, or udc login).",
            }
            : new ProblemDetails
            {
                Status = status,
                Title = "Not allowed.",
                Detail = $"{context.Request.Method} {context.Request.Path} needs the role {required.Name()}; {user.Name} is {user.Role.Name()}.",
            };
        context.Response.StatusCode = status;
        if (user is null)
        {
            // RFC 6750: a refused token is named as such in the challenge.
            context.Response.Headers.WWWAuthenticate = refusedToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        }

        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private async Task AuditAsync(HttpContext context, RouteEndpoint? endpoint, SignedInUser? user, int outcome)
    {
        var request = context.Request;
        try
        {
            var action = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                ?? $"{request.Method} {AccessRules.Normalize(endpoint?.RoutePattern.RawText ?? request.Path.Value ?? "/")}";
            var target = await AuditTarget.ReadAsync(context);
            await _store.AppendAuditAsync(_time.GetUtcNow(), user?.Name, user?.Role, request.Method, request.Path.Value ?? "/", action, target, outcome, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.Error(e, "Could not write the audit row of {Method} {Path} by {User} ({Outcome})", request.Method, request.Path.Value, user?.Name ?? "-", outcome);
        }
    }
}
