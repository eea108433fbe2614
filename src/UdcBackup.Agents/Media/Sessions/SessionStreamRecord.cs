namespace UdcBackup.Agents.Media.Sessions;

/// <summary>One stream of a persisted session: its attempts so far and the attempt that arrived whole.</summary>
internal sealed class SessionStreamRecord
{
    public required string Name { get; init; }

    public List<string> Paths { get; init; } = [];

    public int Attempts { get; set; }

    public int? CompletedAttempt { get; set; }

    public string JournalName(int attempt) => $"stream-{Name}-{attempt}.journal";
}
