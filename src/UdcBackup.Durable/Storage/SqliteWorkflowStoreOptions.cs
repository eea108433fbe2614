namespace UdcBackup.Durable.Storage;

/// <summary>Options of the SQLite store.</summary>
public sealed class SqliteWorkflowStoreOptions
{
    /// <summary>Gets or sets the database file; created with its folder if missing.</summary>
    public required string Path { get; set; }

    /// <summary>Gets or sets the durability of a commit; Full by default (see docs/design/durable-runtime.md).</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>Gets or sets how long a statement waits for a lock held by another connection.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
