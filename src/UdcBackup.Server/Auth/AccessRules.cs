using Microsoft.AspNetCore.Http;

namespace UdcBackup.Server.Auth;

/// <summary>
/// The one table of who may call what under <c>/api</c>, keyed by method and route pattern
/// (parameter names do not matter: <c>/api/workflows/{id}/cancel</c> and
/// <c>/api/workflows/{runId}/cancel</c> are the same rule). Reads (GET, including the live
/// streams) need a viewer; the operator's runs are listed; every other change needs an admin,
/// so an endpoint added without a rule here is admin-only rather than open. A request no
/// endpoint matches only needs a signed-in user, so it gets its honest 404/405.
/// </summary>
public static class AccessRules
{
    private static readonly HashSet<string> Open = new(StringComparer.OrdinalIgnoreCase)
    {
        "POST /api/auth/login",
        "POST /api/agents/enroll",
        "GET /api/agents/ca",
    };

    private static readonly HashSet<string> OperatorChanges = new(StringComparer.OrdinalIgnoreCase)
    {
        "POST /api/workflows",
        "POST /api/workflows/{}/cancel",
        "POST /api/workflows/{}/signals/{}",
        "POST /api/workflows/{}/approvals/{}/approve",
        "POST /api/workflows/{}/approvals/{}/reject",
        "POST /api/backups",
        "POST /api/restores",
        "POST /api/schedules/{}/trigger",
        "POST /api/schedules/{}/pause",
        "POST /api/schedules/{}/unpause",
        "POST /api/flows",
        "PUT /api/flows/{}/draft",
        "POST /api/flows/{}/run",
        "POST /api/firewall/windows/sweep",
    };

    // Admin-only by the default too; listed so a decided rule is not mistaken for a forgotten one
    // and cannot drift into the operator list unnoticed.
    private static readonly HashSet<string> AdminChanges = new(StringComparer.OrdinalIgnoreCase)
    {
        "POST /api/schedules",
        "PUT /api/schedules/{}",
        "DELETE /api/schedules/{}",
        "DELETE /api/users/{}",
        "POST /api/users/{}/disable",
        "POST /api/users/{}/enable",
        "PUT /api/users/{}/role",
        "POST /api/users/{}/password",
    };

    // Changes any signed-in user may ask for; the endpoint narrows them further (own tokens only).
    private static readonly HashSet<string> SignedInChanges = new(StringComparer.OrdinalIgnoreCase)
    {
        "POST /api/auth/logout",
        "POST /api/users/{}/tokens",
        "DELETE /api/users/{}/tokens/{}",
    };

    // POSTs that compute an answer and store nothing: a viewer may ask, and they are not audited.
    private static readonly HashSet<string> ReadOnlyPosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "POST /api/flows/validate",
        "POST /api/flows/{}/plan",
        "POST /api/activities/{}/validate",
    };

    private static readonly HashSet<string> AdminReads = new(StringComparer.OrdinalIgnoreCase)
    {
        "GET /api/audit",
        "GET /api/users",
    };

    /// <summary>Whether a request path is under the API (the rest, the web app and health, is open).</summary>
    public static bool IsApi(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>The rule for a request: <paramref name="routePattern"/> is the matched endpoint's pattern, null when none matched.</summary>
    public static AccessRule For(string method, string? routePattern, PathString path)
    {
        ArgumentNullException.ThrowIfNull(method);
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        var verb = HttpMethods.IsHead(method) ? HttpMethods.Get : method.ToUpperInvariant();
        var key = $"{verb} {Normalize(routePattern ?? path.Value ?? "/")}";
        if (Open.Contains(key))
        {
            return new AccessRule(null, !isRead);
        }

        if (routePattern is null)
        {
            return new AccessRule(UserRole.Viewer, false);
        }

        if (AdminReads.Contains(key))
        {
            return new AccessRule(UserRole.Admin, false);
        }

        if (isRead || ReadOnlyPosts.Contains(key))
        {
            return new AccessRule(UserRole.Viewer, false);
        }

        if (AdminChanges.Contains(key))
        {
            return new AccessRule(UserRole.Admin, true);
        }

        if (SignedInChanges.Contains(key))
        {
            return new AccessRule(UserRole.Viewer, true);
        }

        return new AccessRule(OperatorChanges.Contains(key) ? UserRole.Operator : UserRole.Admin, true);
    }

    /// <summary>The rule's key form of a pattern: parameters as <c>{}</c>, no trailing slash.</summary>
    public static string Normalize(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.StartsWith('{') && s.EndsWith('}') ? "{}" : s);
        return "/" + string.Join('/', segments);
    }
}
