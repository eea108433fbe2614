using System.Text.RegularExpressions;

namespace UdcBackup.Server.Api;

/// <summary>
/// What a workflow id an operator chooses (<c>POST /api/workflows</c>, <c>udc workflow start --id</c>)
/// may be: one token of letters, digits and <c>. _ : -</c>, the characters of every id the product
/// makes itself (run ids of jobs and flows, schedule firings "{schedule id}-{yyyyMMddTHHmmssZ}",
/// generated ids). An id with spaces or slashes would not survive a URL, a shell or a firewall tag.
/// A schedule id (<c>POST /api/schedules</c>) takes the same rule: it starts every run id the schedule makes.
/// </summary>
internal static partial class WorkflowIdRule
{
    private const string Allowed = "use letters, digits, '.', '-', '_' and ':' only (no spaces)";

    /// <summary>Why <paramref name="id"/> is refused, or null when it is a safe token.</summary>
    public static string? Refusal(string id) =>
        Token().IsMatch(id) ? null : $"id '{id}' is not a valid workflow id: {Allowed}; leave it out to get a generated one.";

    /// <summary>Why <paramref name="id"/> is refused as a schedule id, or null when it is a safe token.</summary>
    public static string? ScheduleRefusal(string id) =>
        Token().IsMatch(id) ? null : $"id '{id}' is not a valid schedule id: {Allowed}; the runs it starts are named after it.";

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
