using System.Text.Json;

namespace UdcBackup.Durable.History;

/// <summary>A run's full history, the unit of the replayer and of recorded history files (JSON).</summary>
public sealed record WorkflowHistory(string WorkflowId, IReadOnlyList<HistoryEvent> Events)
{
    public static WorkflowHistory FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowHistory>(json, Runtime.DurableJson.IndentedOptions)
        ?? throw new ArgumentException("History JSON is empty.", nameof(json));

    public string ToJson() => JsonSerializer.Serialize(this, Runtime.DurableJson.IndentedOptions);
}
