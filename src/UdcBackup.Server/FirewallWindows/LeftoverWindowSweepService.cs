using Microsoft.Extensions.Hosting;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Server.FirewallWindows;

/// <summary>
/// Runs the <see cref="LeftoverWindowSweep"/> once the durable runtime has recovered at start-up,
/// then every <see cref="ServerSettings.FirewallSweepMinutes"/>. Registered after the runtime's
/// hosted service, whose start (recovery included) the host completes before starting this one.
/// A failed sweep is logged and the next one runs on time: a leftover must not stop the controller.
/// </summary>
public sealed class LeftoverWindowSweepService : BackgroundService
{
    private readonly LeftoverWindowSweep _sweep;
    private readonly DurableRuntimeService _host;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly Serilog.ILogger _logger;

    public LeftoverWindowSweepService(LeftoverWindowSweep sweep, DurableRuntimeService host, ServerSettings settings, TimeProvider time, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        _sweep = sweep;
        _host = host;
        _time = time;
        _period = TimeSpan.FromMinutes(settings.FirewallSweepMinutes);
        _logger = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, typeof(LeftoverWindowSweep).FullName);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period, _time);
        try
        {
            do
            {
                await SweepOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The controller stops; a sweep cut short is finished by the next start's.
        }
    }

    private async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        if (!_host.IsReady)
        {
            return;
        }

        try
        {
            if (await _sweep.SweepAsync(null, null, stoppingToken) is { } report && (report.Closed.Count > 0 || report.Failed.Count > 0))
            {
                _logger.Information("Firewall sweep: {Closed} leftover window(s) closed, {Failed} could not be closed, {Left} left open", report.Closed.Count, report.Failed.Count, report.Left.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _logger.Error(ex, "The firewall sweep failed; the next one runs in {Period}", _period);
        }
    }
}
