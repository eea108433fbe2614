namespace UdcBackup.Cli.Output;

/// <summary>
/// Transfer rates of a job's systems, from successive readings: for each system the bytes seen
/// over the last <see cref="Window"/> of readings, divided by the time between the oldest and
/// the newest of them. A system whose bytes have not moved for the whole window reads 0; a system
/// seen once has no rate yet (null). Times come from the caller, so tests pass their own.
/// </summary>
internal sealed class JobRates
{
    /// <summary>How far back readings count; long enough to smooth heartbeat steps, short enough to follow changes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Queue<(DateTime At, long Bytes)>> _samples = new(StringComparer.Ordinal);

    /// <summary>Adds a reading's totals taken at <paramref name="at"/>.</summary>
    public void Add(JobReading reading, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(reading);
        foreach (var row in reading.Rows)
        {
            if (!_samples.TryGetValue(row.System, out var queue))
            {
                _samples[row.System] = queue = new Queue<(DateTime, long)>();
            }

            // Totals only grow within a stream; a drop means a new attempt started over.
            if (queue.Count > 0 && row.Bytes < queue.Last().Bytes)
            {
                queue.Clear();
            }

            queue.Enqueue((at, row.Bytes));
            while (queue.Count > 2 && at - queue.Peek().At > Window)
            {
                queue.Dequeue();
            }
        }
    }

    /// <summary>Bytes per second of <paramref name="system"/>, or null before there are two readings.</summary>
    public double? Of(string system)
    {
        if (!_samples.TryGetValue(system, out var queue) || queue.Count < 2)
        {
            return null;
        }

        var (firstAt, firstBytes) = queue.Peek();
        var (lastAt, lastBytes) = queue.Last();
        var seconds = (lastAt - firstAt).TotalSeconds;
        return seconds <= 0 ? null : (lastBytes - firstBytes) / seconds;
    }
}
