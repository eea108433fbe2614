namespace UdcBackup.Server.Runtime;

/// <summary>Another controller holds the data directory's lock.</summary>
public sealed class DataDirectoryInUseException : Exception
{
    public DataDirectoryInUseException(string dataDirectory, Exception inner)
        : base($"The data directory {dataDirectory} is in use by another udc server (its udc.lock is held). Stop that server or use another --data.", inner)
    {
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }
}
