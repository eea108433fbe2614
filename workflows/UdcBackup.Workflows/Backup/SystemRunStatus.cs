using System.Text.Json.Serialization;

namespace UdcBackup.Workflows.Backup;

/// <summary>Where one system of a run stands (written by name in results and queries, for people and the CLI).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SystemRunStatus>))]
public enum SystemRunStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}
