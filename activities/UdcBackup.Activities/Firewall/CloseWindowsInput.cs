using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Firewall;

/// <summary>Input of <c>firewall.close-windows</c>: exactly these windows (as returned by open) are closed.</summary>
public sealed record CloseWindowsInput(
    [property: ActivityInput(ActivityInputKind.Json, "Firewalls the windows are on", Required = true, UiHint = "firewalls")] IReadOnlyList<FirewallTarget> Firewalls,
    [property: ActivityInput(ActivityInputKind.Json, "Windows returned by open-windows", Required = true, UiHint = "opened-windows")] IReadOnlyList<OpenedWindow> Windows);
