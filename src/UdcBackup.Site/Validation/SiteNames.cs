using System.Net;
using System.Text.RegularExpressions;
using UdcBackup.Site.Topology;

namespace UdcBackup.Site.Validation;

/// <summary>The shapes names, addresses, endpoints and script names must have.</summary>
public static partial class SiteNames
{
    public const string IdentifierRule = "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63 characters";

    public static bool IsIdentifier(string? value) => value is not null && IdentifierPattern().IsMatch(value);

    public static bool IsAddress(string? value) => IPAddress.TryParse(value, out _);

    public static bool IsPort(int port) => port is >= 1 and <= 65535;

    public static bool IsEndpoint(string? value) => Endpoints.TryParse(value, out _, out var port) && IsPort(port);

    public static bool IsAbsolutePath(string? value) => value is not null && value.StartsWith('/') && !value.Split('/').Contains("..");

    /// <summary>
    /// A script is named relative to the disk agent's allowed script folder: no absolute path and
    /// no '..', so that a site file can never make an agent run a program outside that folder.
    /// </summary>
    public static bool IsScriptName(string? value) =>
        value is not null && ScriptPattern().IsMatch(value) && !value.Split('/').Any(part => part is "." or "..");

    /// <summary>
    /// Variables a site file may set for a script: the scripts' own (<c>UDC_*</c>) and libpq's
    /// (<c>PG*</c>). Anything else (<c>PATH</c>, <c>LD_PRELOAD</c> ...) could change what the agent runs.
    /// </summary>
    public static bool IsScriptVariable(string? name) => name is not null && VariablePattern().IsMatch(name);

    [GeneratedRegex("^(UDC|PG)[A-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptPattern();
}
