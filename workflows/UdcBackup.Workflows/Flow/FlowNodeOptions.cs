namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Run options of an activity node (all optional): <see cref="Timeout"/> per attempt
/// (<c>[d.]hh:mm:ss</c>, default 1 hour), <see cref="MaxAttempts"/> (default 3; 1 = no retry),
/// <see cref="RetryInterval"/> before the first retry (default 5 s, doubling, at most 100 times),
/// <see cref="HeartbeatTimeout"/> (none by default; streams set their own progress).
/// </summary>
public sealed record FlowNodeOptions(string? Timeout = null, int? MaxAttempts = null, string? RetryInterval = null, string? HeartbeatTimeout = null);
