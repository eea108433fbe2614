using System.CommandLine;
using System.Text.RegularExpressions;
using UdcBackup.Cli.Commands;
using UdcBackup.Cli.Output;

namespace UdcBackup.Cli;

/// <summary>
/// The <c>udc</c> command line: the root command with its global <c>-v/--verbose</c> option and
/// every command group from <see cref="CommandGroups"/>. Exit codes are the contract scripts rely
/// on: 0 success, 1 failure (the operation or the controller failed, or it cannot be reached),
/// 2 bad input (a usage error here, or a 4xx answer from the controller). Output goes to the
/// given writers so tests can run the CLI in-process.
/// </summary>
public static partial class CliApp
{
    /// <summary>Exit code of a successful command.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the operation failed or the controller could not be reached.</summary>
    public const int Failure = 1;

    /// <summary>Exit code when the input was rejected (usage error, 4xx problem details).</summary>
    public const int BadInput = 2;

    /// <summary>Builds the root command with every command group.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("UdcBackup: durable backup and restore across trust zones.");
        root.Options.Add(new Option<bool>(GlobalOptions.Verbose, "-v")
        {
            Description = "Log debug details (HTTP calls, worker activity) to stderr or the server log.",
            Recursive = true,
        });
        foreach (var command in CommandGroups.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>How long a command may take to stop after SIGTERM/SIGINT before its exit is forced (see <see cref="TerminationSignals"/>).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Parses and runs <paramref name="args"/>, returning the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parse = BuildRoot().Parse(args);
        var unknownOptions = UnknownOptions(parse);
        if (parse.Errors.Count > 0 || unknownOptions.Count > 0)
        {
            var messages = unknownOptions.Concat(parse.Errors.Select(e => Readable(e.Message))).ToList();
            foreach (var message in messages)
            {
                await error.WriteLineAsync($"udc: {message}");
            }

            var usage = $"Run '{CommandPath(parse)} --help' for usage.";
            await error.WriteLineAsync(usage);
            if (AsksForJson(parse))
            {
                await CliProblem.WriteAsync(output, CliProblem.BadInputType, "The command line was refused.", string.Join(" ", messages.Append(usage)), BadInput);
            }

            return BadInput;
        }

        // Signals are the process's business (Program registers TerminationSignals before any
        // command runs and passes its token here); the library's own handling is switched off.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    // The command line did not parse, but a --json that did is still the caller's wish: a script
    // reading stdout gets the problem there too.
    private static bool AsksForJson(ParseResult parse)
    {
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } json)
            {
                return parse.GetValue(json);
            }
        }

        return false;
    }

    // The parser hands a token it does not know as an option to a positional argument: a mistyped
    // '--rep' became a path to back up, '--recursve' a pattern of 'archive ls'. A positional token
    // that starts with '-' is refused as an unknown option instead, in every command; a value that
    // really starts with '-' goes after '--' (a path also as ./-name).
    private static List<string> UnknownOptions(ParseResult parse)
    {
        var afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != System.CommandLine.Parsing.TokenType.DoubleDash).ToHashSet(ReferenceEqualityComparer.Instance);
        var known = new List<string>();
        var unknown = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            known.AddRange(result.Command.Options.Where(o => o.Recursive || result == parse.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name)));
            unknown.InsertRange(0, result.Children.OfType<System.CommandLine.Parsing.ArgumentResult>()
                .SelectMany(a => a.Tokens)
                .Where(t => t.Value.Length > 1 && t.Value[0] == '-' && !afterDoubleDash.Contains(t))
                .Select(t => t.Value));
        }

        return [.. unknown.Select(token => Closest(token, known) is { } meant
            ? $"unknown option {token}; did you mean {meant}?"
            : $"unknown option {token} (a value that starts with '-' goes after '--', a path also as ./{token}).")];
    }

    // The long option nearest to a mistyped one (edit distance at most 2), as git and dotnet suggest.
    private static string? Closest(string token, IEnumerable<string> options) =>
        options.Where(o => o.StartsWith("--", StringComparison.Ordinal))
            .Select(o => (Option: o, Distance: EditDistance(token, o)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Option)
            .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    // The parser names the .NET type a value failed to convert to ('System.Int32'); an operator
    // reads what the option takes instead.
    private static string Readable(string message)
    {
        var match = UnparsableValue().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var takes = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" or "System.Int32?" or "System.Nullable`1[System.Int32]" => "a whole number (e.g. 10)",
            "System.Double" or "System.Decimal" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            _ => "a value of the kind it takes",
        };
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {takes}.";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex UnparsableValue();

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "udc" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
