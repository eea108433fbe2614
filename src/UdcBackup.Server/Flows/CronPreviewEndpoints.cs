using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.Durable.Schedules;

namespace UdcBackup.Server.Flows;

/// <summary>
/// <c>GET /api/cron/preview?cron=&amp;tz=&amp;count=</c>: the human reading of a cron expression and
/// its next fire times (UTC), computed by the runtime's own schedule spec (so DST gaps and
/// overlaps are handled exactly as the schedule will); an invalid expression or zone is a 400.
/// </summary>
public static class CronPreviewEndpoints
{
    public static IEndpointRouteBuilder MapCronPreviewEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/cron/preview", Results<Ok<object>, ProblemHttpResult> (string? cron, string? tz, int? count) =>
        {
            if (count is < 1 or > 50)
            {
                return FlowEndpoints.Problem(400, $"count must be between 1 and 50, was {count}");
            }

            var spec = new ScheduleSpec { CronExpressions = [cron ?? string.Empty], TimeZone = string.IsNullOrWhiteSpace(tz) ? null : tz };
            string description;
            try
            {
                spec.Validate();
                description = CronDescription.Describe(cron!);
            }
            catch (ArgumentException e)
            {
                return FlowEndpoints.Problem(400, e.Message);
            }

            var next = new List<DateTime>();
            var after = DateTime.UtcNow;
            while (next.Count < (count ?? 5) && spec.GetNextFireTime(after) is { } at)
            {
                next.Add(at);
                after = at;
            }

            return TypedResults.Ok<object>(new { cron, timeZone = spec.TimeZone ?? "UTC", description, next });
        }).WithTags("Flows").WithName("PreviewCron");
        return routes;
    }
}
