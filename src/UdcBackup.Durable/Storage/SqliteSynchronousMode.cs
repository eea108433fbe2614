namespace UdcBackup.Durable.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> in WAL mode.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>No fsync per commit: a commit survives a process crash but the last ones may be lost on power loss.</summary>
    Normal = 1,

    /// <summary>fsync of the WAL on every commit: a commit survives power loss (group commit amortises the cost).</summary>
    Full = 2,
}
