namespace UdcBackup.Activities.Diagnostics;

/// <summary>Heartbeat details of a diagnostics activity: how much of its work is done.</summary>
public sealed record DiagProgress(int DoneMillis);
