using FluentValidation;
using NCrontab;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Validation;

/// <summary>Checks one backup job on its own: systems listed, schedule (cron, time zone, window), levels and retention.</summary>
public sealed class BackupJobValidator : AbstractValidator<BackupJob>
{
    public BackupJobValidator()
    {
        RuleFor(j => j.Id).Must(SiteNames.IsIdentifier)
            .WithMessage(j => $"job id '{j.Id}' is not a valid id.")
            .WithFix($"name the job with {SiteNames.IdentifierRule}.");
        RuleFor(j => j.Systems).NotEmpty()
            .WithMessage(j => $"job '{j.Id}' has no systems.")
            .WithFix("list the ids of the systems to back up, in order, under 'systems'.");
        RuleFor(j => j.Systems).Must(s => s.Distinct(StringComparer.Ordinal).Count() == s.Count)
            .WithMessage("a system is listed twice in the same job.")
            .WithFix("list each system once.");
        RuleFor(j => j.MediaAgent).NotEmpty()
            .WithMessage("the job names no media agent.").WithFix("set mediaAgent to the id of a media agent.");
        RuleFor(j => j.Repository).NotEmpty()
            .WithMessage("the job names no repository.").WithFix("set repository to the name of one of the media agent's repositories.");

        RuleFor(j => j.Schedule.Cron).Must(BeACron)
            .WithMessage(j => $"'{j.Schedule.Cron}' is not a valid cron expression.")
            .WithFix("write five fields 'minute hour day-of-month month day-of-week' (e.g. '*/5 * * * *' or '0 2 * * *'), or six with seconds first.");
        RuleFor(j => j.Schedule.TimeZone).Must(BeATimeZone)
            .WithMessage(j => $"'{j.Schedule.TimeZone}' is not a known time zone.")
            .WithFix("use an IANA time zone name such as UTC or Europe/Paris.");
        RuleFor(j => j.Schedule.Window).GreaterThan(TimeSpan.Zero)
            .WithMessage("the job has no window (the longest a run may take).")
            .WithFix("set schedule.window, e.g. 2h or 45m.");

        RuleFor(j => j.Levels).Must(l => (l.FullOn.Count > 0) ^ (l.FullEvery is not null))
            .WithMessage(j => j.Levels.FullOn.Count > 0 ? "levels sets both fullOn and fullEvery." : "levels sets neither fullOn nor fullEvery.")
            .WithFix("choose one: 'levels: { fullOn: [sunday] }' (incremental on other days) or 'levels: { fullEvery: 7 }'.");
        RuleFor(j => j.Levels.FullEvery).GreaterThanOrEqualTo(1).When(j => j.Levels.FullEvery is not null)
            .WithMessage(j => $"fullEvery {j.Levels.FullEvery} is less than 1.")
            .WithFix("set fullEvery to 1 (always full) or more.");
        RuleFor(j => j.Levels.FullOn).Must(days => days.Distinct().Count() == days.Count)
            .WithMessage("a day is listed twice in fullOn.").WithFix("list each day once.");

        RuleFor(j => j.Retention).Must(r => r.KeepsAnything)
            .WithMessage("the retention policy keeps nothing, so every snapshot would be deleted.")
            .WithFix("set at least one of keepLast, keepDaily, keepWeekly, keepMonthly, keepYearly above 0.");
        RuleFor(j => j.Retention).Must(r => r.KeepLast >= 0 && r.KeepDaily >= 0 && r.KeepWeekly >= 0 && r.KeepMonthly >= 0 && r.KeepYearly >= 0)
            .WithMessage("a retention count is negative.").WithFix("use 0 or more for every keep* count.");
    }

    public static bool BeACron(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            return false;
        }

        return CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 }) is not null;
    }

    public static bool BeATimeZone(string id) => !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
