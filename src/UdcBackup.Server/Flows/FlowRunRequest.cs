using System.Text.Json;

namespace UdcBackup.Server.Flows;

/// <summary>Body of <c>POST /api/flows/{id}/plan</c> and <c>/run</c>: the published version (default: the newest) and the run's inputs.</summary>
public sealed record FlowRunRequest(int? Version = null, JsonElement? Inputs = null);
