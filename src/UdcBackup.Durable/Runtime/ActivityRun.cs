using System.Text.Json;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Runtime;

/// <summary>The in-memory state of one pending activity across its attempts: current task row, latest heartbeat, timers, cancellation.</summary>
internal sealed class ActivityRun(ActivityTaskRecord record, ActivityOptions options) : IDisposable
{
    public Lock Gate { get; } = new();

    public ActivityTaskRecord Record { get; set; } = record;

    public ActivityOptions Options { get; } = options;

    public RetryPolicy Policy { get; } = options.RetryPolicy ?? new RetryPolicy();

    /// <summary>Gets the source cancelled when the workflow cancels the activity or the worker stops.</summary>
    public CancellationTokenSource Cancel { get; } = new();

    public bool CanceledByWorkflow { get; set; }

    /// <summary>Gets or sets how many attempts were cut short by a stopped node; the retry policy counts Attempt minus these.</summary>
    public int Interruptions { get; set; }

    /// <summary>Gets the attempts the retry policy counts: the current one and those that ended by their own outcome.</summary>
    public int CountedAttempt => Record.Attempt - Interruptions;

    /// <summary>
    /// Gets or sets the interruption found at recovery that is not in history yet: it is written
    /// with the start of the attempt that follows it, or with the activity's outcome if that
    /// attempt never starts (deadline passed, attempts used up).
    /// </summary>
    public HistoryEvent? PendingInterruption { get; set; }

    public JsonElement? LatestDetails { get; set; } = record.HeartbeatDetails;

    public DateTime? LatestHeartbeatTime { get; set; } = record.HeartbeatTime;

    public DateTime LastPersisted { get; set; }

    public ITimer? FlushTimer { get; set; }

    public ITimer? RetryTimer { get; set; }

    public Task Running { get; set; } = Task.CompletedTask;

    public void Dispose()
    {
        FlushTimer?.Dispose();
        RetryTimer?.Dispose();
        Cancel.Dispose();
    }
}
