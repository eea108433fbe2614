using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Backup;

/// <summary>
/// Keeps the kernel reading the files a backup will read next, in the readers' order, while the
/// readers chunk, hash and compress the ones before: a file whose pages are not cached (data not
/// read for a while, or evicted) then arrives while a core works instead of stalling a reader on one
/// disk read per small file. One thread opens each file, asks for it (<c>posix_fadvise</c> WILLNEED,
/// which only starts the reads) and closes it, staying at most <see cref="Window"/> bytes ahead of
/// what the readers took. Only a hint: a file it cannot open is simply left to its reader.
/// </summary>
internal sealed class ReadAhead : IDisposable
{
    /// <summary>How far ahead of the readers files are asked for, in bytes (pages the kernel keeps for them).</summary>
    public const long Window = 64L << 20;

    private readonly List<FileSystemBackup.Item> _items;
    private readonly int[] _order;
    private readonly ManualResetEventSlim _moved = new(false);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread? _thread;
    private long _taken;
    private int _takenFiles;

    /// <param name="items">The walked entries.</param>
    /// <param name="order">The regular files of <paramref name="items"/> the readers will read, in the order they take them (none: no thread is started).</param>
    public ReadAhead(List<FileSystemBackup.Item> items, int[] order)
    {
        _items = items;
        _order = order;
        if (order.Length > 0)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "udc read-ahead" };
            _thread.Start();
        }
    }

    /// <summary>Files asked for so far (for tests and timings).</summary>
    public int Advised { get; private set; }

    /// <summary>A reader took a file of <paramref name="size"/> bytes: the window moves on.</summary>
    public void Taken(long size)
    {
        Interlocked.Add(ref _taken, size);
        Interlocked.Increment(ref _takenFiles);
        _moved.Set();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
        _moved.Dispose();
    }

    private void Run()
    {
        long asked = 0;
        try
        {
            for (var next = 0; next < _order.Length; next++)
            {
                var item = _items[_order[next]];
                var size = item.Status.Size;
                while (asked - Volatile.Read(ref _taken) > Window)
                {
                    _moved.Reset();
                    if (asked - Volatile.Read(ref _taken) > Window)
                    {
                        _moved.Wait(_stop.Token);
                    }
                }

                _stop.Token.ThrowIfCancellationRequested();
                asked += size;
                if (next < Volatile.Read(ref _takenFiles))
                {
                    continue; // the readers take files in this order and are past it already
                }

                Advise(item.FullPath);
                Advised++;
            }
        }
        catch (OperationCanceledException)
        {
            // The backup ended or failed first.
        }
    }

    private static void Advise(string path)
    {
        try
        {
            using var handle = LinuxFileSystem.OpenForReading(path);
            LinuxFileSystem.AdviseWillNeed(handle, 0, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Its reader meets the same error and reports it.
        }
    }
}
