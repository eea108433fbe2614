using Microsoft.Extensions.Logging;

namespace UdcBackup.Server.Logging;

/// <summary>
/// Routes ASP.NET Core's <see cref="ILogger"/> output into a Serilog logger. The hosting
/// integration packages for Serilog are not available here, and the bridge is small: every
/// category becomes Serilog's <c>SourceContext</c>, message templates pass through unchanged.
/// </summary>
public sealed class SerilogLoggerProvider : ILoggerProvider
{
    private readonly Serilog.ILogger _logger;

    public SerilogLoggerProvider(Serilog.ILogger logger)
    {
        _logger = logger;
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) =>
        new SerilogCategoryLogger(_logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, categoryName));

    /// <inheritdoc />
    public void Dispose()
    {
        // The Serilog logger belongs to the caller, which flushes it at exit.
    }
}
