using System.Text.Json;

namespace UdcBackup.Durable.Client;

/// <summary>
/// How the host derives a run's <see cref="SearchAttribute"/>s from its workflow type and input
/// (the runtime itself gives attributes no meaning). Every start uses it: client starts, schedule
/// fires and child workflows. <see cref="Version"/> names the rules: the store records the version
/// its attributes were derived with, and when the runtime starts with another version (rules added
/// or changed, or a database from before attributes existed) it derives them again for every stored
/// run before it recovers anything, newest first, a batch per transaction; a crash in the middle
/// redoes it at the next start. <see cref="Derive"/> must be pure and must not throw; values are
/// deduplicated, empty ones dropped.
/// </summary>
/// <param name="Version">Names these rules; change it whenever <paramref name="Derive"/> changes what it returns.</param>
/// <param name="Derive">The attributes of a run of a workflow type with an input (null when started without one).</param>
public sealed record SearchAttributeRules(string Version, Func<string, JsonElement?, IEnumerable<SearchAttribute>> Derive)
{
    /// <summary>The distinct, non-empty attributes of a run.</summary>
    internal IReadOnlyList<SearchAttribute> Of(string workflowType, JsonElement? input) =>
        Derive(workflowType, input).Where(a => !string.IsNullOrEmpty(a.Name) && !string.IsNullOrEmpty(a.Value)).Distinct().ToList();
}
