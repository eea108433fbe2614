using UdcBackup.Site.Model;

namespace UdcBackup.Server.Site;

/// <summary>
/// One protected system of the applied site as <c>GET /api/systems</c> lists it: where it lives,
/// how it is quiesced, and the scripts its disk agent may run (<see cref="Scripts"/>: the distinct
/// names; <see cref="ScriptCalls"/>: each configured call with its phase and arguments).
/// </summary>
public sealed record SystemInfo(
    string Id,
    string Zone,
    ApplicationKind ApplicationKind,
    IReadOnlyList<string> Scripts,
    IReadOnlyList<SystemScriptCall> ScriptCalls,
    string? TierApplication,
    string? Tier,
    IReadOnlyList<string> DataSets);
