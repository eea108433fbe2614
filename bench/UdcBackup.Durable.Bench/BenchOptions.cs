using System.Globalization;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Bench;

/// <summary>Command-line options of the benchmark; every one has a default so a bare run is the documented one.</summary>
internal sealed record BenchOptions(int Workflows, int Concurrency, int Sequential, int Warmup, SqliteSynchronousMode Synchronous, int RetryWorkflows)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(Workflows: 5000, Concurrency: 500, Sequential: 300, Warmup: 300, SqliteSynchronousMode.Full, RetryWorkflows: 2000);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--workflows" => options with { Workflows = Positive(value, args[i]) },
                "--concurrency" => options with { Concurrency = Positive(value, args[i]) },
                "--sequential" => options with { Sequential = Positive(value, args[i]) },
                "--warmup" => options with { Warmup = int.Parse(value, CultureInfo.InvariantCulture) },
                "--retry-workflows" => options with { RetryWorkflows = int.Parse(value, CultureInfo.InvariantCulture) },
                "--sync" => options with { Synchronous = Enum.Parse<SqliteSynchronousMode>(value, ignoreCase: true) },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --workflows N --concurrency C --sequential M --warmup W --sync full|normal --retry-workflows R (0: no retry scenarios)"),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string value, string name) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer");
}
