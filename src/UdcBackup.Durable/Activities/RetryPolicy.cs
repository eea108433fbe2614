namespace UdcBackup.Durable.Activities;

/// <summary>
/// Exponential backoff for activity attempts: the delay before attempt n+1 is
/// InitialInterval * BackoffCoefficient^(n-1), capped at MaximumInterval (default 100 x initial).
/// MaximumAttempts 0 means unlimited (bounded by ScheduleToCloseTimeout if set).
/// </summary>
public sealed class RetryPolicy : ICloneable
{
    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(1);

    public double BackoffCoefficient { get; set; } = 2.0;

    public TimeSpan? MaximumInterval { get; set; }

    public int MaximumAttempts { get; set; }

    /// <summary>Gets or sets error types (ApplicationFailureException.ErrorType or CLR exception type name) that fail at once.</summary>
    public IReadOnlyCollection<string> NonRetryableErrorTypes { get; set; } = [];

    /// <summary>Computes the delay before the attempt that follows <paramref name="failedAttempt"/>.</summary>
    public TimeSpan DelayAfter(int failedAttempt)
    {
        var max = MaximumInterval ?? TimeSpan.FromTicks(InitialInterval.Ticks * 100);
        var ticks = InitialInterval.Ticks * Math.Pow(Math.Max(1.0, BackoffCoefficient), Math.Max(0, failedAttempt - 1));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public object Clone()
    {
        var copy = (RetryPolicy)MemberwiseClone();
        copy.NonRetryableErrorTypes = [.. NonRetryableErrorTypes];
        return copy;
    }

    internal void Validate()
    {
        if (InitialInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("RetryPolicy.InitialInterval must be positive.");
        }

        if (BackoffCoefficient < 1.0)
        {
            throw new ArgumentException("RetryPolicy.BackoffCoefficient must be at least 1.");
        }

        if (MaximumAttempts < 0)
        {
            throw new ArgumentException("RetryPolicy.MaximumAttempts must be 0 (unlimited) or positive.");
        }
    }
}
