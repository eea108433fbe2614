using System.CommandLine;

namespace UdcBackup.Cli.Commands;

/// <summary>Names of the options every command inherits from the root.</summary>
internal static class GlobalOptions
{
    /// <summary>The verbose switch (<c>-v</c>, <c>--verbose</c>), defined on the root as recursive.</summary>
    public const string Verbose = "--verbose";

    /// <summary>Whether the operator asked for verbose logging.</summary>
    public static bool IsVerbose(ParseResult parse) => parse.GetValue<bool>(Verbose);
}
