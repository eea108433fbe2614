using UdcBackup.Archive;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// What a backup session's journals are worth after a restart, and what its seal commits. A live
/// session is rebuilt from the journals of every attempt: a journaled file counts as held (the disk
/// agent may send it without content) only when every chunk of it is in the repository index, i.e.
/// it reached a finished pack that the new archive session adopted; a completed attempt missing
/// such a file is marked unfinished so its stream is sent again before the seal. A file marked
/// changed while read is never held (it is sent again), but its stored chunks count like any
/// other's. For incrementals the parent's files whose chunks are all indexed and that are not
/// marked are held as well.
/// </summary>
internal static class SessionRecovery
{
    /// <summary>Held files after a restart: journaled files whose every chunk is in the index.</summary>
    public static void Rebuild(ArchiveRepository repository, SessionSlot slot, SessionRecord record, LiveSession live)
    {
        var index = repository.Index;
        foreach (var stream in record.Streams)
        {
            for (var attempt = 1; attempt <= stream.Attempts; attempt++)
            {
                foreach (var entry in SessionJournal.Read(slot.JournalPath(stream, attempt)))
                {
                    if (entry.Type != EntryType.File)
                    {
                        continue;
                    }

                    if (!entry.Content.All(c => index.Contains(c.Id)))
                    {
                        if (attempt == stream.CompletedAttempt)
                        {
                            stream.CompletedAttempt = null; // its data was in a pack lost with the live session
                        }
                    }
                    else if (!entry.ChangedDuringBackup)
                    {
                        live.Held[entry.Path] = new HeldEntry(entry, stream.Name);
                    }
                }
            }
        }

        if (record.ParentSnapshotId is { } parentId)
        {
            var parent = repository.FindSnapshot(parentId);
            foreach (var entry in SnapshotReader.ReadEntries(repository, parent))
            {
                if (entry.Type == EntryType.File && !entry.ChangedDuringBackup && entry.Content.All(c => index.Contains(c.Id)))
                {
                    live.ParentHeld[entry.Path] = HeldFile.Of(entry);
                }
            }
        }
    }

    /// <summary>The completed attempts in stream order; a path sent again keeps its first place with the later entry.</summary>
    public static List<ArchiveEntry> Merge(SessionSlot slot, SessionRecord record)
    {
        var entries = new List<ArchiveEntry>();
        var places = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var stream in record.Streams)
        {
            foreach (var entry in SessionJournal.Read(slot.JournalPath(stream, stream.CompletedAttempt!.Value)))
            {
                if (places.TryGetValue(entry.Path, out var place))
                {
                    if (entries[place].Type != entry.Type)
                    {
                        throw new SessionException(409, $"'{entry.Path}' is a {entries[place].Type} in one stream and a {entry.Type} in stream {stream.Name}");
                    }

                    entries[place] = entry;
                }
                else
                {
                    places[entry.Path] = entries.Count;
                    entries.Add(entry);
                }
            }
        }

        return entries;
    }
}
