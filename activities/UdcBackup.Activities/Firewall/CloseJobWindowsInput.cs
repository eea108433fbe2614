using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Firewall;

/// <summary>Input of <c>firewall.close-job-windows</c>: every rule tagged with the job on these firewalls goes.</summary>
public sealed record CloseJobWindowsInput(
    [property: ActivityInput(ActivityInputKind.String, "Job whose windows are closed", Required = true, Pattern = "[A-Za-z0-9._:-]{1,64}")] string JobId,
    [property: ActivityInput(ActivityInputKind.Json, "Firewalls to clean", Required = true, UiHint = "firewalls")] IReadOnlyList<FirewallTarget> Firewalls);
