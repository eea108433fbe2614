using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Firewall;

/// <summary>Result of <c>firewall.open-windows</c>.</summary>
public sealed record OpenWindowsResult(
    [property: ActivityOutput(ActivityInputKind.Json, "The open windows, in opening order")] IReadOnlyList<OpenedWindow> Windows);
