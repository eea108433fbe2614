namespace UdcBackup.Archive.Diagnostics;

/// <summary>
/// The summed wall time of one pipeline stage, its thread CPU time (null when not measured or when
/// the stage moved between threads) and how many times it ran.
/// </summary>
public sealed record StageTime(string Stage, TimeSpan Time, TimeSpan? Cpu, long Count);
