using FluentValidation;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Model;

namespace UdcBackup.Site.Validation;

/// <summary>
/// Checks one protected system on its own: identity, endpoint, address, data sets, and that the
/// scripts its application kind depends on are there (a database in backup mode cannot be backed
/// up consistently without the pre/post pair, nor restored without stopping it first), and that
/// each script's environment passes the disk agents' rule (<see cref="ScriptEnvironmentRule"/>
/// with the controller's configured prefixes), so a saved site never fails at run time on it.
/// </summary>
public sealed class ProtectedSystemValidator : AbstractValidator<ProtectedSystem>
{
    private readonly ScriptEnvironmentRule _environment;

    public ProtectedSystemValidator(ScriptEnvironmentRule environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        RuleFor(s => s.Id).Must(SiteNames.IsIdentifier)
            .WithMessage(s => $"system id '{s.Id}' is not a valid identity.")
            .WithFix($"use the name of the system's disk agent certificate, made of {SiteNames.IdentifierRule}.");
        RuleFor(s => s.AgentEndpoint).Must(SiteNames.IsEndpoint)
            .WithMessage(s => $"agent endpoint '{s.AgentEndpoint}' is not host:port with a port between 1 and 65535.")
            .WithFix("write where the controller reaches the disk agent, e.g. 203.0.113.2:9102.");
        RuleFor(s => s.Address).Must(SiteNames.IsAddress)
            .WithMessage(s => $"address '{s.Address}' is not an IP address.")
            .WithFix("write the system's IP address as the firewall sees it (the source address of its streams).");
        RuleFor(s => s.DataSets).NotEmpty()
            .WithMessage(s => $"system '{s.Id}' has no data set, so a backup would copy nothing.")
            .WithFix("add 'dataSets: [{ name: files, paths: [/srv/data] }]'.");
        RuleFor(s => s.DataSets).Must(sets => sets.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() == sets.Count)
            .WithMessage("two data sets have the same name.")
            .WithFix("give each data set of the system its own name.");
        RuleForEach(s => s.DataSets).SetValidator(new DataSetValidator());

        RuleFor(s => s.Tier!.Application).Must(SiteNames.IsIdentifier).When(s => s.Tier is not null)
            .WithMessage("the tier's application is not a valid name.").WithFix($"name the multi-tier application with {SiteNames.IdentifierRule}.");
        RuleFor(s => s.Tier!.Name).Must(SiteNames.IsIdentifier).When(s => s.Tier is not null)
            .WithMessage("the tier name is not a valid name.").WithFix("name the tier, e.g. web, app or db.");
        RuleFor(s => s.Tier!.Order).GreaterThanOrEqualTo(1).When(s => s.Tier is not null)
            .WithMessage("the tier order must be 1 or more.").WithFix("number the tiers in quiesce order starting at 1.");

        ScriptRules();
    }

    private void ScriptRules()
    {
        foreach (var (name, get) in Scripts())
        {
            RuleFor(s => get(s.Scripts)!.Name).Must(SiteNames.IsScriptName).When(s => get(s.Scripts) is not null)
                .OverridePropertyName($"Scripts.{name}")
                .WithMessage(s => $"script '{get(s.Scripts)!.Name}' is not a name inside the agent's script folder: use {ScriptName.Description}.")
                .WithFix("write the script's path relative to the agent's allowed script folder (e.g. postgresql/pre-backup), without '..' or a leading '/'.");
            RuleFor(s => get(s.Scripts)!.Env).Must(env => SiteNames.EnvironmentProblems(_environment, env).Count == 0).When(s => get(s.Scripts) is not null)
                .OverridePropertyName($"Scripts.{name}.Env")
                .WithMessage(s => string.Join("; ", SiteNames.EnvironmentProblems(_environment, get(s.Scripts)!.Env)) + ".")
                .WithFix($"set only {_environment.Describe()} variables the disk agents accept here (short text values); configure anything else on the system itself.");
        }

        RuleFor(s => s.Scripts.PreBackup).NotNull().When(s => s.ApplicationKind != ApplicationKind.None)
            .WithMessage(s => $"application kind {Kind(s)} needs a pre-backup script to {(s.ApplicationKind == ApplicationKind.DatabaseBackupMode ? "enter backup mode" : "suspend the applications")}.")
            .WithFix("add a pre-backup script name or set application kind to none.");
        RuleFor(s => s.Scripts.PostBackup).NotNull().When(s => s.ApplicationKind != ApplicationKind.None || s.Scripts.PreBackup is not null)
            .WithMessage(s => s.Scripts.PreBackup is not null
                ? "a pre-backup script without a post-backup script would leave the system quiesced after every backup."
                : $"application kind {Kind(s)} needs a post-backup script to {(s.ApplicationKind == ApplicationKind.DatabaseBackupMode ? "leave backup mode" : "resume the applications")}.")
            .WithFix("add a post-backup script name or set application kind to none.");
        RuleFor(s => s.Scripts.StopPrograms).NotNull().When(s => s.ApplicationKind == ApplicationKind.DatabaseBackupMode)
            .WithMessage("a database must be stopped before its files are restored, so application kind database-backup-mode needs a stop-programs script.")
            .WithFix("add a stopPrograms script name (e.g. postgresql/stop-programs) or set application kind to none.");
        RuleFor(s => s.Scripts.StartPrograms).NotNull().When(s => s.ApplicationKind == ApplicationKind.DatabaseBackupMode || s.Scripts.StopPrograms is not null)
            .WithMessage("without a start-programs script the system's programs would stay stopped after a restore.")
            .WithFix("add a startPrograms script name (e.g. postgresql/start-programs).");
    }

    private static string Kind(ProtectedSystem s) => Loading.KebabNames.Of(s.ApplicationKind);

    private static (string Name, Func<SystemScripts, ScriptCall?> Get)[] Scripts() =>
    [
        ("PreBackup", s => s.PreBackup),
        ("PostBackup", s => s.PostBackup),
        ("StopPrograms", s => s.StopPrograms),
        ("StartPrograms", s => s.StartPrograms),
    ];

    private sealed class DataSetValidator : AbstractValidator<DataSet>
    {
        public DataSetValidator()
        {
            RuleFor(d => d.Name).Must(SiteNames.IsIdentifier)
                .WithMessage(d => $"data set name '{d.Name}' is not a valid name.")
                .WithFix($"name the data set with {SiteNames.IdentifierRule}.");
            RuleFor(d => d.Paths).NotEmpty()
                .WithMessage(d => $"data set '{d.Name}' has no path.")
                .WithFix("add 'paths: [/absolute/folder]'.");
            RuleForEach(d => d.Paths).Must(SiteNames.IsAbsolutePath)
                .WithMessage((_, path) => $"'{path}' is not an absolute path.")
                .WithFix("write an absolute path without '..' components.");
            RuleForEach(d => d.Excludes).NotEmpty()
                .WithMessage("an exclude pattern is empty.")
                .WithFix("remove the empty exclude or write a pattern such as pg_wal/*.");

            // Replace removes what the snapshot does not hold under each path: on '/' that would be the whole system.
            RuleForEach(d => d.Paths).Must(path => path.Trim('/').Length > 0).When(d => d.Restore == DataSetRestoreMode.Replace)
                .WithMessage(d => $"data set '{d.Name}' restores with replace, which would remove everything on the system that its snapshot does not hold.")
                .WithFix("name the folders to replace (e.g. /var/lib/postgresql/15/main) or use 'restore: merge'.");
        }
    }
}
