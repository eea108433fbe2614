namespace UdcBackup.Activities.Diagnostics;

/// <summary>Input of <c>diag.cleanup</c>.</summary>
/// <param name="CleanupMillis">How long the cleanup works, in milliseconds.</param>
/// <param name="StepsCompleted">How many steps completed before the cleanup ran.</param>
public sealed record DiagCleanupInput(int CleanupMillis, int StepsCompleted);
