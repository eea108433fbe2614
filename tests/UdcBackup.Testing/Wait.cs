namespace UdcBackup.Testing;

/// <summary>Polls a condition until it holds or a deadline passes; the tests' only way to wait.</summary>
public static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"timed out after {deadline.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(Poll);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        UntilAsync(() => Task.FromResult(condition()), deadline, what);
}
