using System.Text.Json;

namespace UdcBackup.Durable.Activities;

/// <summary>
/// The ambient context of a running activity attempt (<see cref="Current"/>, flowed with the
/// async call). Heartbeats reset the heartbeat timeout and record progress details; the latest
/// details are kept in memory, persisted at most about once a second (or every half heartbeat
/// timeout), and handed to the next attempt, also after a process crash.
/// </summary>
public sealed class ActivityExecutionContext
{
    private static readonly AsyncLocal<ActivityExecutionContext?> Ambient = new();
    private readonly Action<JsonElement?> onHeartbeat;

    internal ActivityExecutionContext(ActivityInfo info, Action<JsonElement?> onHeartbeat, CancellationToken cancellationToken)
    {
        Info = info;
        CancellationToken = cancellationToken;
        this.onHeartbeat = onHeartbeat;
    }

    /// <summary>Gets the context of the activity attempt running on this async flow.</summary>
    public static ActivityExecutionContext Current =>
        Ambient.Value ?? throw new InvalidOperationException("ActivityExecutionContext.Current is only available inside an activity.");

    /// <summary>Gets a value indicating whether the caller runs inside an activity.</summary>
    public static bool HasCurrent => Ambient.Value is not null;

    public ActivityInfo Info { get; }

    /// <summary>Gets the token that fires on heartbeat or start-to-close timeout, cancellation by the workflow, or worker shutdown.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Records liveness and, optionally, progress details that a later attempt will receive.</summary>
    public void Heartbeat(object? details = null)
    {
        JsonElement? json = details switch
        {
            null => null,
            JsonElement e => e,
            _ => JsonSerializer.SerializeToElement(details, Runtime.DurableJson.Options),
        };
        onHeartbeat(json);
    }

    /// <summary>Reads the last heartbeat details recorded by a previous attempt, or default when there are none.</summary>
    public T? GetHeartbeatDetails<T>() =>
        Info.HeartbeatDetails is { } d ? d.Deserialize<T>(Runtime.DurableJson.Options) : default;

    internal static void SetCurrent(ActivityExecutionContext? context) => Ambient.Value = context;
}
