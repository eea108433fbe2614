namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// One session's place in the registry: its folder, the gate that lets one request at a time work
/// on it, the persisted record (loaded lazily) and the live part when there is one.
/// </summary>
internal sealed class SessionSlot(string folder)
{
    public string Folder { get; } = folder;

    public string RecordPath => Path.Combine(Folder, "session.json");

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public SessionRecord? Record { get; set; }

    public LiveSession? Live { get; set; }

    public string JournalPath(SessionStreamRecord stream, int attempt) => Path.Combine(Folder, stream.JournalName(attempt));
}
