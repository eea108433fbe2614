namespace UdcBackup.Server.Runtime;

/// <summary>
/// The controller's lease owner id, kept in <c>DIR/node-id</c> so it survives restarts. With the
/// same id, a controller restarted after a crash reclaims its own running executions at once
/// instead of waiting for the dead process's leases to expire.
/// </summary>
public static class NodeIdentity
{
    public static string LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "node-id");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var id = $"controller-{Guid.NewGuid():N}"[..23];
        var temp = path + ".tmp";
        File.WriteAllText(temp, id + Environment.NewLine);
        File.Move(temp, path, overwrite: true);
        return id;
    }
}
