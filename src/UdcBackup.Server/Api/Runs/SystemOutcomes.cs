using System.Text.Json;

namespace UdcBackup.Server.Api.Runs;

/// <summary>
/// How many systems a closed run reports in its result and how many of them did not succeed:
/// read from the result's <c>systems</c> array (a <c>backup.job</c> run's per-system outcome; the
/// status <c>Succeeded</c> or <c>Completed</c> is ok, anything else — failed, skipped, cancelled,
/// still pending — is not). A backup that continues past a failed system completes as a workflow,
/// so its status alone would say Completed; lists show these counts next to it. The result comes
/// with the run's row, so a list needs no history.
/// </summary>
public sealed record SystemOutcomes(int Systems, int NotOk)
{
    /// <summary>The counts of <paramref name="result"/>; null when it reports no systems (a run still going, a restore, any other workflow).</summary>
    public static SystemOutcomes? Of(JsonElement? result)
    {
        if (result is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("systems", out var systems)
            || systems.ValueKind != JsonValueKind.Array || systems.GetArrayLength() == 0)
        {
            return null;
        }

        var notOk = systems.EnumerateArray().Count(s => !(s.ValueKind == JsonValueKind.Object && s.TryGetProperty("status", out var status)
            && status.ValueKind == JsonValueKind.String && status.GetString() is "Succeeded" or "Completed"));
        return new SystemOutcomes(systems.GetArrayLength(), notOk);
    }
}
