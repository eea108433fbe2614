using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>Input of <see cref="FlowWorkflow.PrepareActivity"/>: which flow, which published version (0 = the newest), and the run's inputs to carry over.</summary>
public sealed record FlowPrepareInput(string FlowId, int Version, JsonElement? Inputs = null);
