namespace UdcBackup.Durable.Storage;

/// <summary>A durable timer that has not fired or been cancelled yet (row of <c>timers</c>).</summary>
public sealed record TimerRecord(string RunId, int CommandId, DateTime FireAt);
