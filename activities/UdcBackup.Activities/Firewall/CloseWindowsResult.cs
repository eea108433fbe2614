using UdcBackup.Activities.Metadata;

namespace UdcBackup.Activities.Firewall;

/// <summary>Result of the close activities.</summary>
public sealed record CloseWindowsResult(
    [property: ActivityOutput(ActivityInputKind.Int, "How many rules were found open and removed")] int Closed);
