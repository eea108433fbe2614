using System.Text.RegularExpressions;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// Who a party is: a system id (the protected system, media agent or controller name) and its
/// role. In certificates it is carried as two SAN URIs, <c>udc://system/&lt;id&gt;</c> and
/// <c>udc://role/&lt;role&gt;</c>; the subject CN repeats the id for people reading certificates but
/// is never used for decisions.
/// </summary>
public sealed partial record SystemIdentity
{
    /// <summary>URI prefix of the system id SAN.</summary>
    public const string SystemUriPrefix = "udc://system/";

    /// <summary>URI prefix of the role SAN.</summary>
    public const string RoleUriPrefix = "udc://role/";

    public SystemIdentity(string systemId, AgentRole role)
    {
        if (!IsValidId(systemId))
        {
            throw new ArgumentException(
                $"System id '{systemId}' is invalid: use 1-63 characters from a-z 0-9 . _ -, starting with a letter or digit",
                nameof(systemId));
        }

        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role");
        }

        SystemId = systemId;
        Role = role;
    }

    /// <summary>The system id (lowercase).</summary>
    public string SystemId { get; }

    /// <summary>The role.</summary>
    public AgentRole Role { get; }

    /// <summary>The system SAN URI.</summary>
    public Uri SystemUri => new(SystemUriPrefix + SystemId);

    /// <summary>The role SAN URI.</summary>
    public Uri RoleUri => new(RoleUriPrefix + RoleName(Role));

    /// <summary>True when the text is a valid system id.</summary>
    public static bool IsValidId(string? systemId) => systemId is not null && IdPattern().IsMatch(systemId);

    /// <summary>The role's lowercase name as used in URIs and configuration.</summary>
    public static string RoleName(AgentRole role) => role.ToString().ToLowerInvariant();

    /// <summary>Parses a role name (disk, media, controller).</summary>
    public static AgentRole? ParseRole(string? name) => name switch
    {
        "disk" => AgentRole.Disk,
        "media" => AgentRole.Media,
        "controller" => AgentRole.Controller,
        _ => null,
    };

    public override string ToString() => $"{RoleName(Role)}:{SystemId}";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
