using Microsoft.Data.Sqlite;
using UdcBackup.Durable.Client;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// Search attributes: rows of <c>search_attributes</c> keyed (name, value, start time, run id), so a
/// listing filtered on one attribute walks that key range newest first and stops after the page,
/// whatever the number of other runs; and the recorded version of the rules that derived them.
/// </summary>
public sealed partial class SqliteWorkflowStore
{
    private const string RulesVersionKey = "search_attributes_version";

    public Task<string?> GetSearchAttributesVersionAsync(CancellationToken cancellationToken = default)
    {
        var list = Query("SELECT value FROM store_settings WHERE key = $k;", c => c.Parameters.AddWithValue("$k", RulesVersionKey), r => r.GetString(0));
        return Task.FromResult(list.Count == 0 ? null : list[0]);
    }

    public Task ReplaceSearchAttributesAsync(IReadOnlyList<(string RunId, IReadOnlyList<SearchAttribute> Attributes)> runs, string? completedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        lock (writeGate)
        {
            var connection = Writer;
            using var transaction = connection.BeginTransaction();
            using var delete = Command(transaction, "DELETE FROM search_attributes WHERE run_id = $r;", "$r");
            // The start time comes from the run's row, so an attribute row always sorts with its run.
            using var insert = Command(transaction, "INSERT OR IGNORE INTO search_attributes (name, value, start_time, run_id) SELECT $n, $v, start_time, run_id FROM executions WHERE run_id = $r;", "$r", "$n", "$v");
            foreach (var (runId, attributes) in runs)
            {
                delete.Parameters["$r"].Value = runId;
                delete.ExecuteNonQuery();
                foreach (var a in attributes)
                {
                    insert.Parameters["$r"].Value = runId;
                    insert.Parameters["$n"].Value = a.Name;
                    insert.Parameters["$v"].Value = a.Value;
                    insert.ExecuteNonQuery();
                }
            }

            if (completedVersion is not null)
            {
                using var mark = Command(transaction, "INSERT OR REPLACE INTO store_settings (key, value) VALUES ($k, $v);", "$k", "$v");
                mark.Parameters["$k"].Value = RulesVersionKey;
                mark.Parameters["$v"].Value = completedVersion;
                mark.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return Task.CompletedTask;
    }

    // Driven by the attribute's key range (newest first); the run's own filters and the cursor are
    // checked on each joined run. Ties of start time are ordered by the run's rowid, as in the
    // unfiltered listing, so the same cursor continues either listing exactly.
    private List<ExecutionRecord> ListByAttribute(WorkflowListFilter filter)
    {
        var conditions = new List<string> { "a.name = $name", "a.value = $value" };
        if (filter.WorkflowType is not null)
        {
            conditions.Add("e.workflow_type = $type");
        }

        if (filter.Status is not null)
        {
            conditions.Add("e.status = $status");
        }

        if (filter.StartedAfter is not null)
        {
            conditions.Add("a.start_time >= $after");
        }

        if (filter.StartedBefore is not null)
        {
            conditions.Add("a.start_time < $before");
        }

        if (filter.AfterRunId is not null)
        {
            conditions.Add("a.start_time <= (SELECT start_time FROM executions WHERE run_id = $cursor)");
            conditions.Add("(e.start_time, e.rowid) < (SELECT start_time, rowid FROM executions WHERE run_id = $cursor)");
        }

        var columns = string.Join(", ", ExecutionColumns.Split(", ").Select(c => "e." + c));
        var sql = $"""
            SELECT {columns} FROM search_attributes a JOIN executions e ON e.run_id = a.run_id
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY a.start_time DESC, e.rowid DESC LIMIT $limit;
            """;
        return Query(sql, c =>
        {
            BindListFilter(c, filter);
            c.Parameters.AddWithValue("$name", filter.Attribute!.Name);
            c.Parameters.AddWithValue("$value", filter.Attribute.Value);
        }, ReadExecution);
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }
}
