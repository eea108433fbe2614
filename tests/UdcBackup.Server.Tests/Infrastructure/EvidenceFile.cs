namespace UdcBackup.Server.Tests.Infrastructure;

/// <summary>The evidence lines <c>diag.steps</c> leaves under <c>DIR/diagnostics/&lt;workflow id&gt;.log</c>.</summary>
public sealed class EvidenceFile
{
    public EvidenceFile(string dataDirectory, string workflowId)
    {
        Path = System.IO.Path.Combine(dataDirectory, "diagnostics", workflowId + ".log");
    }

    public string Path { get; }

    /// <summary>The lines without their timestamps ("step 2 started attempt 1").</summary>
    public IReadOnlyList<string> Lines()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        // The activity may be appending while we read; a torn last line simply is not matched yet.
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2) is [_, var rest] ? rest.Trim() : l.Trim())
            .ToList();
    }

    public bool Contains(string prefix) => Lines().Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public int Count(string prefix) => Lines().Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public Task WaitForAsync(string prefix, TimeSpan deadline) =>
        Wait.UntilAsync(() => Contains(prefix), deadline, $"'{prefix}' in {Path}");
}
