namespace UdcBackup.Site.Planning;

/// <summary>The kinds of steps a plan is made of.</summary>
public enum PlanStepKind
{
    OpenWindow,
    RunScript,
    StreamBackup,
    StreamRestore,
    CloseWindow,
}
