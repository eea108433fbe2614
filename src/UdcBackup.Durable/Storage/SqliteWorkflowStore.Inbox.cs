using System.Text.Json;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// The durable inbox (table <c>inbox</c>): signals and cancel requests accepted by a node that
/// does not own the run. Enqueueing checks, in the same statement, that the run is running, so
/// a message for a closed run is refused rather than silently kept. The owner reads the
/// messages of its runs and deletes each one in the transaction that appends it to history.
/// </summary>
public sealed partial class SqliteWorkflowStore
{
    public Task<bool> EnqueueInboxAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (writeGate)
        {
            using var command = Writer.CreateCommand();
            command.CommandText = """
                INSERT INTO inbox (run_id, data, received_at, received_by)
                SELECT $run, $data, $at, $by WHERE EXISTS (SELECT 1 FROM executions WHERE run_id = $run AND status = 1);
                """;
            command.Parameters.AddWithValue("$run", message.RunId);
            command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(message.Event, DurableJson.Options));
            command.Parameters.AddWithValue("$at", message.ReceivedAt.Ticks);
            command.Parameters.AddWithValue("$by", message.ReceivedBy);
            return Task.FromResult(command.ExecuteNonQuery() == 1);
        }
    }

    public Task<IReadOnlyList<InboxMessage>> LoadInboxAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var list = Query(
            """
            SELECT i.message_id, i.run_id, i.data, i.received_at, i.received_by FROM inbox i JOIN executions e ON e.run_id = i.run_id
            WHERE e.status = 1 AND e.owner_id = $o ORDER BY i.message_id;
            """,
            c => c.Parameters.AddWithValue("$o", ownerId),
            r => new InboxMessage(r.GetInt64(0), r.GetString(1), JsonSerializer.Deserialize<HistoryEvent>(r.GetString(2), DurableJson.Options)!, new DateTime(r.GetInt64(3), DateTimeKind.Utc), r.GetString(4)));
        return Task.FromResult<IReadOnlyList<InboxMessage>>(list);
    }

    public Task<IReadOnlyList<InboxMessage>> PurgeInboxAsync(CancellationToken cancellationToken = default)
    {
        lock (writeGate)
        {
            using var command = Writer.CreateCommand();
            command.CommandText = """
                DELETE FROM inbox WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.run_id = inbox.run_id AND e.status = 1)
                RETURNING message_id, run_id, data, received_at, received_by;
                """;
            using var reader = command.ExecuteReader();
            var purged = new List<InboxMessage>();
            while (reader.Read())
            {
                purged.Add(new InboxMessage(reader.GetInt64(0), reader.GetString(1), JsonSerializer.Deserialize<HistoryEvent>(reader.GetString(2), DurableJson.Options)!, new DateTime(reader.GetInt64(3), DateTimeKind.Utc), reader.GetString(4)));
            }

            return Task.FromResult<IReadOnlyList<InboxMessage>>(purged);
        }
    }
}
