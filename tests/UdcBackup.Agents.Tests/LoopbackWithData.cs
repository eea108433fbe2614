using System.Security.Cryptography;

namespace UdcBackup.Agents.Tests;

/// <summary>
/// Base of the resume tests: <see cref="LoopbackAgents"/> with <see cref="Files"/> random files of
/// <see cref="Size"/> bytes in the data folder (incompressible, so bytes on the wire track the data).
/// </summary>
public abstract class LoopbackWithData : IAsyncLifetime
{
    protected const int Files = 24;
    protected const int Size = 2_000_000;
    protected const long Total = (long)Files * Size;

    protected LoopbackAgents Agents { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Agents = await LoopbackAgents.StartAsync();
        for (var i = 0; i < Files; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(Agents.Data, $"part-{i:00}.bin"), RandomNumberGenerator.GetBytes(Size));
        }
    }

    public async Task DisposeAsync() => await Agents.DisposeAsync();
}
