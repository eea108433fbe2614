namespace UdcBackup.Durable.Failures;

/// <summary>
/// Replaying workflow code against its history produced different commands than the history
/// records (another activity type, another order, a command missing or added). The execution is
/// failed with this error rather than continuing on a state that no longer matches the code.
/// </summary>
public sealed class NonDeterminismException : FailureException
{
    public NonDeterminismException(long eventId, string message)
        : base($"Non-deterministic workflow: history event {eventId}: {message}")
    {
        EventId = eventId;
        Detail = message;
    }

    /// <summary>Gets what differed, without the event prefix.</summary>
    public string Detail { get; }

    /// <summary>Gets the id of the history event where the code and the history disagree (0 when the code produced an extra command past the end of a closed history).</summary>
    public long EventId { get; }
}
