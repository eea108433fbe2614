using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// A statement of the write path prepared once on the raw SQLite handle and bound by index.
/// The write path runs tens of statements per workflow; ADO.NET's per-execution name-based
/// parameter binding cost more than SQLite's own work, so the hot path binds directly.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(db, sql, out statement));
    }

    public SqliteRawStatement Text(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value));
        return this;
    }

    public SqliteRawStatement Long(int index, long? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_int64(statement, index, v) : raw.sqlite3_bind_null(statement, index));
        return this;
    }

    /// <summary>Runs the statement to completion and resets it for the next use.</summary>
    public void Run()
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            Check(rc);
        }
    }

    /// <summary>Runs the statement and returns the first column of its first row (0 if none).</summary>
    public long Scalar()
    {
        var rc = raw.sqlite3_step(statement);
        var value = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(statement, 0) : 0;
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            Check(rc);
        }

        return value;
    }

    /// <summary>Runs the statement and reads its first row with <paramref name="read"/> (column index to text); null if it has none.</summary>
    public T? First<T>(Func<Func<int, string>, T> read)
        where T : class
    {
        var rc = raw.sqlite3_step(statement);
        try
        {
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            {
                Check(rc);
            }

            return rc == raw.SQLITE_ROW ? read(i => raw.sqlite3_column_text(statement, i).utf8_to_string()) : null;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public void Dispose() => statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }
}
