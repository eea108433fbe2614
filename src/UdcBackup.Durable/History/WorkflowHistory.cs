using System.Text.Json;

namespace UdcBackup.Durable.History;

/// <summary>A run's full history, the unit of the replayer and of recorded history files (JSON).</summary>
public sealed record WorkflowHistory(string WorkflowId, IReadOnlyList<HistoryEvent> Events)
{
    /// <summary>Gets the run id; it seeds Workflow.Random and NewGuid, so replay needs the original one.</summary>
    public string? RunId { get; init; }

    public static WorkflowHistory FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowHistory>(json, Runtime.DurableJson.IndentedOptions)
        ?? throw new ArgumentException("History JSON is empty.", nameof(json));

    public string ToJson() => JsonSerializer.Serialize(this, Runtime.DurableJson.IndentedOptions);
}
