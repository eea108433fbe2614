using System.Text.Json;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// A backup session as persisted in <c>session.json</c> of its folder: who it belongs to (token
/// system and job, session id), its level and resolved parent, the streams in the order they were
/// first opened with their attempts, the live epoch, and the sealed snapshot once there is one.
/// Written to a temporary file and renamed, so a crash leaves the old or the new record.
/// </summary>
internal sealed class SessionRecord
{
    public required string System { get; init; }

    public required string Job { get; init; }

    public required string SessionId { get; init; }

    public required string Level { get; init; }

    public string? ParentSnapshotId { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset LastActivity { get; set; }

    public long Epoch { get; set; }

    public List<SessionStreamRecord> Streams { get; init; } = [];

    public string? SealedSnapshotId { get; set; }

    public static SessionRecord? Load(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        return JsonSerializer.Deserialize<SessionRecord>(File.ReadAllBytes(file), JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{file} is empty");
    }

    public void Save(string file)
    {
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, JsonSerializerOptions.Web);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, file, overwrite: true);
    }

    public SessionStreamRecord Stream(string name, IReadOnlyList<string> paths)
    {
        var stream = Streams.Find(s => s.Name == name);
        if (stream is null)
        {
            stream = new SessionStreamRecord { Name = name, Paths = [.. paths] };
            Streams.Add(stream);
        }

        return stream;
    }
}
