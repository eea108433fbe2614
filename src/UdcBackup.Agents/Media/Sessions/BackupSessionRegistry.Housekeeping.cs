namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Housekeeping of the session registry (a timer each minute): a live session idle for
/// <see cref="BackupSessionRegistry.LiveIdle"/> gives its archive session and repository lock
/// back (its journals stay, so the next open rebuilds it); an unsealed session without activity
/// for the configured time is deleted with its journals (its data stays in the repository until
/// prune); a slot busy with a request is skipped until the next round. After a live session was
/// dropped the repository index is reloaded once no writer depends on it, so the packs it finished
/// are adopted and indexed by the next session.
/// </summary>
public sealed partial class BackupSessionRegistry
{
    private async Task DropLiveAsync(SessionSlot slot)
    {
        if (slot.Live is { } live)
        {
            slot.Live = null;
            await live.DisposeAsync();

            // Packs it finished are in the in-memory index but in no index file: reload later so the
            // next session adopts and indexes them (only while no other writer relies on the index).
            _reloadIndex = true;
        }
    }

    private async Task SweepAsync()
    {
        var now = _time.GetUtcNow();
        List<SessionSlot> slots;
        lock (_lock)
        {
            slots = [.. _slots.Values];
        }

        foreach (var slot in slots)
        {
            if (!await slot.Gate.WaitAsync(0))
            {
                continue;
            }

            try
            {
                if (slot.Live is { } live && now - live.LastUsed > LiveIdle)
                {
                    await DropLiveAsync(slot);
                }
            }
            finally
            {
                slot.Gate.Release();
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(_folder))
        {
            var slot = Slot(folder);
            if (slot is null || !await slot.Gate.WaitAsync(0))
            {
                continue;
            }

            try
            {
                var record = slot.Record ?? LoadOrNull(slot.RecordPath);
                if (slot.Live is null && (record is null || now - record.LastActivity > _keep))
                {
                    Directory.Delete(folder, recursive: true);
                    lock (_lock)
                    {
                        _slots.Remove(Path.GetFileName(folder));
                    }
                }
            }
            finally
            {
                slot.Gate.Release();
            }
        }

        ReloadIndexIfQuiet();
    }

    private SessionSlot? Slot(string folder)
    {
        var key = Path.GetFileName(folder);
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new SessionSlot(folder);
                _slots[key] = slot;
            }

            return slot;
        }
    }

    private void ReloadIndexIfQuiet()
    {
        lock (_lock)
        {
            if (!_reloadIndex || _slots.Values.Any(s => s.Live is not null) || !_oneShotWriter.Wait(0))
            {
                return;
            }

            try
            {
                _repository.ReloadIndex();
                _reloadIndex = false;
            }
            finally
            {
                _oneShotWriter.Release();
            }
        }
    }

    private static SessionRecord? LoadOrNull(string path)
    {
        try
        {
            return SessionRecord.Load(path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
