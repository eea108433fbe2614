namespace UdcBackup.Cli.Output;

/// <summary>
/// The status column of a run list (<c>udc jobs list</c>, <c>udc workflow list</c>) and the Status
/// line of <c>udc workflow show</c>: a backup that
/// continues past a failed system completes as a workflow, so a completed run whose systems did not
/// all succeed reads "Completed, 2 of 3 systems not ok" instead of a plain "Completed".
/// </summary>
internal static class ListedOutcome
{
    public static string Of(string status, int? systems, int? systemsNotOk) =>
        status == "Completed" && systemsNotOk is > 0 && systems is { } count
            ? $"Completed, {systemsNotOk} of {count} systems not ok"
            : status;
}
