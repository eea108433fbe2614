using Serilog;
using Serilog.Events;

namespace UdcBackup.Server.Logging;

/// <summary>
/// The controller's Serilog pipeline: the console for the operator watching it, and a daily
/// rolling file under <c>DIR/logs</c> that stays after the process is gone (what happened before
/// a crash is exactly what an operator needs). Framework chatter is kept at warning unless verbose.
/// </summary>
public static class ServerLogging
{
    /// <summary>Creates the controller's logger; the caller disposes it at exit to flush the file.</summary>
    public static Serilog.Core.Logger Create(string logDirectory, int retainedFiles, bool verbose)
    {
        var minimum = verbose ? LogEventLevel.Debug : LogEventLevel.Information;
        return new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", verbose ? LogEventLevel.Information : LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.WithProperty(Serilog.Core.Constants.SourceContextPropertyName, "udc")
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(
                Path.Combine(logDirectory, "udc-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retainedFiles,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
    }
}
