using System.Net;

namespace UdcBackup.Cli.Client;

/// <summary>The controller answered with an error (problem details, or a bare status).</summary>
public sealed class ControllerProblemException : Exception
{
    public ControllerProblemException(HttpStatusCode status, string title, string? detail, string rawBody)
        : base(detail is { Length: > 0 } ? $"{title} {detail}" : title)
    {
        Status = status;
        Title = title;
        Detail = detail;
        RawBody = rawBody;
    }

    public HttpStatusCode Status { get; }

    public string Title { get; }

    public string? Detail { get; }

    /// <summary>The answer as received, printed as-is with <c>--json</c>.</summary>
    public string RawBody { get; }

    /// <summary>4xx: the request was wrong (exit code 2); anything else is a failure (exit code 1).</summary>
    public bool IsBadInput => (int)Status is >= 400 and < 500;
}
