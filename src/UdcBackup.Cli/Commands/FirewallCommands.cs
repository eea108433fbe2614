using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Output;
using UdcBackup.Server.FirewallWindows;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc firewall windows</c>: the windows open on the applied site's firewalls, each with the run
/// its tag names and that run's state (running, leftover of a closed run, unknown to this
/// controller); <c>udc firewall sweep</c>: close the leftovers now, as the controller does every few
/// minutes. Exit code 1 when a firewall could not be listed or a leftover could not be closed (what
/// could be read is printed first), 2 when no site is applied.
/// </summary>
internal static class FirewallCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("firewall", "Show the windows open through the site's firewalls; close those left by closed runs.");
        options.AddTo(group);

        var windows = new Command("windows", "Windows open on the site's firewalls: firewall, port, source, destination, run and its state.");
        windows.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync("api/firewall/windows", c.CancellationToken);
            var list = JsonSerializer.Deserialize<FirewallWindowList>(answer, JsonOptions)!;
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
            }
            else
            {
                FirewallWindowView.List(c.Output, list.Windows);
            }

            return await FirewallWindowView.ErrorsAsync(c.Error, list.FirewallErrors, []) ? CliApp.Failure : CliApp.Success;
        }));

        var sweep = new Command("sweep", "Close now the windows whose run is closed; windows of running runs and of runs this controller does not know stay open.");
        sweep.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.PostAsync("api/firewall/windows/sweep", null, c.CancellationToken);
            var report = JsonSerializer.Deserialize<FirewallSweepReport>(answer, JsonOptions)!;
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
            }
            else
            {
                FirewallWindowView.Sweep(c.Output, report);
            }

            return await FirewallWindowView.ErrorsAsync(c.Error, report.FirewallErrors, report.Failed) ? CliApp.Failure : CliApp.Success;
        }));

        group.Subcommands.Add(windows);
        group.Subcommands.Add(sweep);
        return group;
    }
}
