namespace UdcBackup.Durable.Failures;

/// <summary>An activity timeout fired; heartbeat and start-to-close timeouts are retried, schedule-to-close is final.</summary>
public sealed class TimeoutFailureException : FailureException
{
    public TimeoutFailureException(string message, TimeoutType timeoutType, Exception? innerException = null)
        : base(message, innerException)
    {
        TimeoutType = timeoutType;
    }

    public TimeoutType TimeoutType { get; }
}
