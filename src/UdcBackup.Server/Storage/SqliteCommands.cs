using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UdcBackup.Server.Storage;

/// <summary>
/// The one-statement helpers of the controller's SQLite stores (<see cref="SqliteFile"/>): a command
/// with its named parameters (a null value is bound as SQL NULL) in an optional transaction, run
/// for its row count, its first value or its rows (each turned into a value by the caller's reader
/// function), synchronously or asynchronously with cancellation. Errors are SQLite's own
/// exceptions, unchanged.
/// </summary>
public static class SqliteCommands
{
    /// <summary>A command of <paramref name="sql"/> with its parameters; the caller disposes it.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs <paramref name="sql"/>; returns the number of rows it changed.</summary>
    public static int Execute(this SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row as a number; 0 when there is no row or it is NULL.</summary>
    public static long Scalar(this SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        return command.ExecuteScalar() is { } result and not DBNull ? Convert.ToInt64(result, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Runs <paramref name="sql"/> asynchronously; returns the number of rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="sql"/> and turns every row it returns into a value with <paramref name="read"/>, in order.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        this SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var command = connection.Command(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
