using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Input of the <c>flow</c> workflow: the flow id and version the run started with, the whole
/// definition (so a newer publish never changes a run in progress), the run's inputs
/// (<c>flow.input.*</c>), the applied site's systems (for-each items and endpoints, copied at start
/// so replay sees the same site), and the declared defaults of the activities the flow uses.
/// </summary>
public sealed record FlowRunInput(
    string FlowId,
    int Version,
    FlowDocument Definition,
    JsonElement? Inputs = null,
    FlowSite? Site = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>>? Defaults = null);
