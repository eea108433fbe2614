using System.CommandLine;

namespace UdcBackup.Cli.Commands;

/// <summary>The top-level command groups of `udc`, in the order help lists them.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All()
    {
        yield return ServerCommand.Create();
        yield return WorkflowCommands.Create();
        yield return ScheduleCommands.Create();
        yield return ArchiveCommands.Create();
        yield return AgentCommands.Create();
        yield return SiteCommands.Create();
        yield return BackupCommands.Create();
        yield return RestoreCommands.Create();
        yield return JobsCommands.Create();
        yield return FirewallCommands.Create();
        yield return LoginCommand.Create();
        yield return UserCommands.Create();
    }
}
