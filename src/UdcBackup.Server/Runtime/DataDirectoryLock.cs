namespace UdcBackup.Server.Runtime;

/// <summary>
/// An exclusive lock on a data directory (<c>DIR/udc.lock</c>), held for the controller's
/// lifetime. Two controllers on one SQLite store would both claim the same executions; the lock
/// makes the second one refuse to start. The kernel drops the lock when the process dies, even by
/// SIGKILL, so a crashed controller never blocks its own restart.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file)
    {
        _file = file;
    }

    /// <summary>Takes the lock or throws <see cref="DataDirectoryInUseException"/>.</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "udc.lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                writer.WriteLine(Environment.ProcessId);
            }

            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException e)
        {
            throw new DataDirectoryInUseException(dataDirectory, e);
        }
    }

    public void Dispose() => _file.Dispose();
}
