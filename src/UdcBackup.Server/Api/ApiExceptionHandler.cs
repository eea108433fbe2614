using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace UdcBackup.Server.Api;

/// <summary>
/// Turns exceptions that escape an endpoint into problem details. A request the framework could
/// not bind (malformed JSON, a missing body) is the caller's mistake: 400 with the parser's own
/// words, so the operator sees the line and position; a body field, query or route value of the
/// wrong type in the project's own (<see cref="ParameterBindingFailure"/>). Anything else is a 500 without internals,
/// logged here with its stack trace (the framework no longer logs exceptions a handler took).
/// </summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    private readonly IProblemDetailsService _problems;
    private readonly ILogger<ApiExceptionHandler> _logger;

    public ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger)
    {
        _problems = problems;
        _logger = logger;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var detail = bad.InnerException is JsonException json
                ? ParameterBindingFailure.Describe(json) ?? $"{bad.Message} {json.Message}"
                : ParameterBindingFailure.Describe(bad.Message, httpContext.Request) ?? bad.Message;
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request is malformed.", Detail = detail };
        }
        else
        {
            _logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The controller failed to handle the request.",
                Detail = "See the controller's log for the error.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await _problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
