namespace UdcBackup.Scripts.Tests.Fixtures;

/// <summary>The kernel's view of a process, from /proc/PID/stat.</summary>
public static class ProcessState
{
    /// <summary>The state letter (R, S, T, Z ...), or null when the process does not exist.</summary>
    public static char? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name sits in parentheses and may itself contain spaces or ')'.
        return stat[(stat.LastIndexOf(')') + 2)..][0];
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid) => Of(pid) is char state && state is not ('Z' or 'X');
}
