namespace UdcBackup.Server.Auth;

/// <summary>The lowercase names of <see cref="UserRole"/> used by the API, the CLI and the store.</summary>
public static class RoleNames
{
    /// <summary>The names, lowest role first.</summary>
    public static IReadOnlyList<string> All { get; } = ["viewer", "operator", "admin"];

    public static string Name(this UserRole role) => role switch
    {
        UserRole.Viewer => "viewer",
        UserRole.Operator => "operator",
        UserRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    /// <summary>Parses a role name (case-insensitive); false for anything else, numbers included.</summary>
    public static bool TryParse(string? name, out UserRole role)
    {
        role = name?.Trim().ToLowerInvariant() switch
        {
            "viewer" => UserRole.Viewer,
            "operator" => UserRole.Operator,
            "admin" => UserRole.Admin,
            _ => 0,
        };
        return role != 0;
    }
}
