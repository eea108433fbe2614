namespace UdcBackup.Archive.Diagnostics;

/// <summary>The summed wall time (and thread CPU time, zero when not measured) of one pipeline stage and how many times it ran.</summary>
public sealed record StageTime(string Stage, TimeSpan Time, TimeSpan Cpu, long Count);
