using System.Globalization;
using Spectre.Console;
using UdcBackup.Server.FirewallWindows;

namespace UdcBackup.Cli.Output;

/// <summary>
/// Human views of the firewall windows: the <c>udc firewall windows</c> table and what
/// <c>udc firewall sweep</c> closed and left, each window with the state of the run its tag names;
/// the firewalls that could not be listed and the closes that failed go to standard error.
/// </summary>
internal static class FirewallWindowView
{
    public static void List(TextWriter writer, IReadOnlyList<FirewallWindowInfo> windows)
    {
        var console = ConsoleView.For(writer);
        if (windows.Count == 0)
        {
            console.WriteLine("no windows open");
            return;
        }

        console.Write(Table(windows));
    }

    public static void Sweep(TextWriter writer, FirewallSweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var console = ConsoleView.For(writer);
        if (report.Closed.Count + report.Left.Count + report.Failed.Count == 0)
        {
            console.WriteLine("no windows open");
            return;
        }

        console.WriteLine($"closed {report.Closed.Count} leftover window(s) of closed runs");
        if (report.Closed.Count > 0)
        {
            console.Write(Table(report.Closed));
        }

        if (report.Left.Count > 0)
        {
            console.WriteLine($"left {report.Left.Count} window(s) open: their run is running, or this controller does not know it");
            console.Write(Table(report.Left));
        }
    }

    /// <summary>Writes the firewalls not listed and the windows not closed; true when there was any.</summary>
    public static async Task<bool> ErrorsAsync(TextWriter error, IReadOnlyList<FirewallListFailure> firewalls, IReadOnlyList<FirewallCloseFailure> closes)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var f in firewalls)
        {
            await error.WriteLineAsync($"udc: firewall {f.Firewall} could not be listed: {f.Error}");
        }

        foreach (var f in closes)
        {
            await error.WriteLineAsync($"udc: the window of run {f.Window.RunId} on firewall {f.Window.Firewall} (port {Port(f.Window)}, source {f.Window.Source}) could not be closed: {f.Error}");
        }

        return firewalls.Count + closes.Count > 0;
    }

    private static Table Table(IEnumerable<FirewallWindowInfo> windows)
    {
        var table = ConsoleView.Table("FIREWALL", "PORT", "PROTOCOL", "SOURCE", "DESTINATION", "RUN", "RUN STATE");
        foreach (var w in windows)
        {
            table.AddTextRow(w.Firewall, Port(w), w.Protocol, w.Source, w.Destination, w.RunId, State(w));
        }

        return table;
    }

    private static string State(FirewallWindowInfo window) => window.RunState switch
    {
        WindowRunState.Running => "running",
        WindowRunState.Leftover => $"closed ({window.RunStatus}): leftover",
        _ => "unknown to this controller",
    };

    private static string Port(FirewallWindowInfo window) => window.Port?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
