using UdcBackup.Site.Model;

namespace UdcBackup.Site.Planning;

/// <summary>
/// One step of a plan. <see cref="CleanupOf"/> is the index of the step whose effect this step
/// undoes (close a window, leave backup mode, start programs again): a runner must run it in a
/// durable <c>finally</c> once that step has started, whatever happened in between.
/// <see cref="DataSets"/> names the data sets a stream step carries.
/// </summary>
public sealed record PlanStep(
    int Index,
    PlanStepKind Kind,
    string Summary,
    string? SystemId = null,
    FirewallWindowSpec? Window = null,
    ScriptRole? Role = null,
    ScriptCall? Script = null,
    IReadOnlyList<string>? DataSets = null,
    int? CleanupOf = null);
