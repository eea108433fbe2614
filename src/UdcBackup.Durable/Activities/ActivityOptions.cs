using System.Text.Json.Serialization;

namespace UdcBackup.Durable.Activities;

/// <summary>
/// Options of one activity call; cloned when the call is made, so changing the object afterwards
/// has no effect. StartToCloseTimeout or ScheduleToCloseTimeout must be set.
/// </summary>
public sealed class ActivityOptions : ICloneable
{
    /// <summary>Gets or sets the limit of one attempt; a timed-out attempt is retried.</summary>
    public TimeSpan? StartToCloseTimeout { get; set; }

    /// <summary>Gets or sets the limit of all attempts together, from scheduling; final when it fires.</summary>
    public TimeSpan? ScheduleToCloseTimeout { get; set; }

    /// <summary>Gets or sets the longest silence between heartbeats before the attempt counts as failed and is retried.</summary>
    public TimeSpan? HeartbeatTimeout { get; set; }

    /// <summary>Gets or sets the retry policy; null means the default policy (1 s initial, x2, unlimited attempts).</summary>
    public RetryPolicy? RetryPolicy { get; set; }

    /// <summary>
    /// Gets or sets the token that cancels the activity; null means the workflow's cancellation
    /// token. Pass <c>CancellationToken.None</c> for cleanup activities in a finally block that
    /// must run even after the workflow was cancelled.
    /// </summary>
    [JsonIgnore]
    public CancellationToken? CancellationToken { get; set; }

    /// <inheritdoc />
    public object Clone()
    {
        var copy = (ActivityOptions)MemberwiseClone();
        copy.RetryPolicy = (RetryPolicy?)RetryPolicy?.Clone();
        return copy;
    }

    internal void Validate()
    {
        if (StartToCloseTimeout is null && ScheduleToCloseTimeout is null)
        {
            throw new ArgumentException("ActivityOptions needs StartToCloseTimeout or ScheduleToCloseTimeout.");
        }

        if (StartToCloseTimeout <= TimeSpan.Zero || ScheduleToCloseTimeout <= TimeSpan.Zero || HeartbeatTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ActivityOptions timeouts must be positive.");
        }

        RetryPolicy?.Validate();
    }
}
