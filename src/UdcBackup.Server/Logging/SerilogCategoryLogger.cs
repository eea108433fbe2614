using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace UdcBackup.Server.Logging;

/// <summary>
/// One category's <see cref="ILogger"/> writing to Serilog. Structured state from
/// <c>LogInformation("... {Name}", value)</c> keeps its template and its named values.
/// </summary>
internal sealed class SerilogCategoryLogger : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly Serilog.ILogger _logger;

    public SerilogCategoryLogger(Serilog.ILogger logger)
    {
        _logger = logger;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && _logger.IsEnabled(ToSerilog(logLevel));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = ToSerilog(logLevel);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.Count > 0
            && values[^1].Key == OriginalFormat
            && values[^1].Value is string template)
        {
            var args = new object?[values.Count - 1];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = values[i].Value;
            }

            _logger.Write(level, exception, template, args);
            return;
        }

        _logger.Write(level, exception, "{Message:l}", formatter(state, exception));
    }

    private static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
