using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Catalog;

/// <summary>Result of <c>catalog.apply-retention</c>.</summary>
public sealed record ApplyRetentionResult(
    [property: ActivityOutput(ActivityInputKind.Int, "Snapshots kept")] int Kept,
    [property: ActivityOutput(ActivityInputKind.Json, "Snapshots forgotten")] IReadOnlyList<string> Forgotten);
