using Microsoft.Data.Sqlite;

namespace UdcBackup.Server.Storage;

/// <summary>
/// One SQLite file of the controller's data directory (flows, site versions, users): opened in
/// WAL mode, so the API reads while a writer commits and other processes (tests, the CLI) read the
/// same file at once, with its schema created at construction by idempotent statements
/// (<c>CREATE TABLE IF NOT EXISTS</c>). A file that cannot be opened or a schema that fails
/// throws from the constructor, so the controller does not start on a broken store.
/// </summary>
public sealed class SqliteFile
{
    private readonly string _connectionString;

    /// <param name="path">The database file.</param>
    /// <param name="schema">Idempotent statements run once at construction.</param>
    /// <param name="pooling">Keep connections pooled (for stores read on every request).</param>
    public SqliteFile(string path, string schema, bool pooling = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = pooling }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;\n" + schema;
        command.ExecuteNonQuery();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>An open connection; the caller disposes it.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
