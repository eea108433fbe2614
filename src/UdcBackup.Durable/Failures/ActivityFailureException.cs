namespace UdcBackup.Durable.Failures;

/// <summary>
/// What workflow code sees when an activity finally fails (retries exhausted, non-retryable
/// error, timeout or cancellation). The cause is in <see cref="Exception.InnerException"/>:
/// <see cref="ApplicationFailureException"/>, <see cref="TimeoutFailureException"/> or
/// <see cref="CanceledFailureException"/>.
/// </summary>
public sealed class ActivityFailureException : FailureException
{
    public ActivityFailureException(string message, string activityType, int activityId, int attempt, Exception? innerException)
        : base(message, innerException)
    {
        ActivityType = activityType;
        ActivityId = activityId;
        Attempt = attempt;
    }

    public string ActivityType { get; }

    /// <summary>Gets the command id of the activity in its workflow's history.</summary>
    public int ActivityId { get; }

    /// <summary>Gets the last attempt number (1-based).</summary>
    public int Attempt { get; }
}
