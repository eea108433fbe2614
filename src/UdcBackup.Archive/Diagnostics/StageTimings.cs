using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace UdcBackup.Archive.Diagnostics;

/// <summary>
/// Accumulates the time spent in named stages of the backup and restore pipelines (read, chunk,
/// hash, compress, encrypt, write ...), summed over every thread, so an operator or a benchmark can
/// see where the cores go (<c>udc archive backup --timings</c>). Wall time costs two
/// <see cref="Stopwatch.GetTimestamp"/> calls and one interlocked add, cheap enough to stay on.
/// With <see cref="MeasureCpu"/> the calling thread's CPU time is summed too (one system call per
/// mark): unlike wall time it stays meaningful when other work shares the machine, but only for
/// stages that run on one thread without awaiting; a stage that ended on another thread than it
/// started on reports no CPU time (null) rather than a wrong one.
/// </summary>
public sealed class StageTimings
{
    private readonly ConcurrentDictionary<string, Counter> _stages = new(StringComparer.Ordinal);

    /// <summary>Also sum thread CPU time per stage (off by default: it costs a system call per mark).</summary>
    public bool MeasureCpu { get; set; }

    /// <summary>The current wall (and, if measured, thread CPU) time, to pass to <see cref="Add(string, Mark)"/>.</summary>
    public Mark Start() => new(Stopwatch.GetTimestamp(), MeasureCpu ? ThreadCpuTicks() : 0, Environment.CurrentManagedThreadId);

    /// <summary>Adds the time since <paramref name="started"/> to <paramref name="stage"/>; returns a new mark (now).</summary>
    public Mark Add(string stage, Mark started)
    {
        var now = Start();
        var counter = _stages.GetOrAdd(stage, static _ => new Counter());
        Interlocked.Add(ref counter.Ticks, now.Wall - started.Wall);
        if (now.Thread == started.Thread)
        {
            Interlocked.Add(ref counter.CpuNanoseconds, now.Cpu - started.Cpu);
        }
        else
        {
            Interlocked.Increment(ref counter.ThreadChanges);
        }

        Interlocked.Increment(ref counter.Count);
        return now;
    }

    /// <summary>Runs <paramref name="action"/> and records its duration under <paramref name="stage"/>.</summary>
    public T Measure<T>(string stage, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var started = Start();
        try
        {
            return action();
        }
        finally
        {
            Add(stage, started);
        }
    }

    /// <summary>Every stage measured so far, by name.</summary>
    public IReadOnlyList<StageTime> Read() =>
        [.. _stages.Select(s => new StageTime(
                s.Key,
                Stopwatch.GetElapsedTime(0, Interlocked.Read(ref s.Value.Ticks)),
                MeasureCpu && Interlocked.Read(ref s.Value.ThreadChanges) == 0 ? TimeSpan.FromTicks(Interlocked.Read(ref s.Value.CpuNanoseconds) / 100) : null,
                Interlocked.Read(ref s.Value.Count)))
            .OrderBy(s => s.Stage, StringComparer.Ordinal)];

    private static long ThreadCpuTicks()
    {
        const int ClockThreadCpuTime = 3;
        return NativeMethods.clock_gettime(ClockThreadCpuTime, out var spec) == 0 ? (spec.Seconds * 1_000_000_000) + spec.Nanoseconds : 0;
    }

    /// <summary>A point in time: <see cref="Stopwatch"/> ticks, thread CPU nanoseconds (0 when not measured) and the thread.</summary>
    public readonly record struct Mark(long Wall, long Cpu, int Thread);

    private sealed class Counter
    {
        public long Ticks;
        public long CpuNanoseconds;
        public long ThreadChanges;
        public long Count;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        public static extern int clock_gettime(int clock, out TimeSpec time);
    }
}
