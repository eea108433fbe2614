using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Firewall;

/// <summary>Input of <c>firewall.open-windows</c>.</summary>
public sealed record OpenWindowsInput(
    [property: ActivityInput(ActivityInputKind.String, "Job id; becomes the rule tag udc:job=<id>", Required = true, Pattern = "[A-Za-z0-9._:-]{1,64}")] string JobId,
    [property: ActivityInput(ActivityInputKind.Json, "Windows to open (firewall, system, source and destination address)", Required = true, UiHint = "firewall-windows")] IReadOnlyList<WindowSpec> Windows);
