using UdcBackup.Server.Site;

namespace UdcBackup.Server.Runtime;

/// <summary>
/// Which registered workflow types an operator may start by hand (<c>POST /api/workflows</c>) or
/// put on a schedule of their own (<c>POST/PUT /api/schedules</c>), and the refusal both give for
/// any other type. Internal types are registered so the controller can run and list them
/// (<c>GET /api/workflow-types</c> keeps them, since their runs are listed and filtered), but only
/// the controller starts them: <c>backup.refused</c> records a site job's scheduled backup that
/// the script environment rule refused, and a hand-started one would be a false record of such a
/// refusal. The site's schedules start it through the durable runtime directly, not through these
/// endpoints, so this check never stands in their way.
/// </summary>
public static class StartableWorkflowTypes
{
    /// <summary>Types only the controller itself starts.</summary>
    public static IReadOnlySet<string> Internal { get; } = new HashSet<string>(StringComparer.Ordinal) { RefusedJobWorkflow.TypeName };

    /// <summary>The types of <paramref name="registered"/> that may be started by hand, in ordinal order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> registered) =>
        registered.Where(t => !Internal.Contains(t)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Why <paramref name="type"/> may not be started by hand, or null when it may.</summary>
    public static string? Refusal(IEnumerable<string> registered, string type)
    {
        var startable = Of(registered);
        if (startable.Contains(type, StringComparer.Ordinal))
        {
            return null;
        }

        var known = $"Known types: {string.Join(", ", startable)}.";
        return Internal.Contains(type)
            ? $"Workflow type '{type}' is internal: the controller starts it itself (a site job's schedule records a refused backup with it), it cannot be started or scheduled by hand. {known}"
            : $"Unknown workflow type '{type}'. {known}";
    }
}
