namespace UdcBackup.Workflows.Plan;

/// <summary>
/// One step a built-in run is planned to take (<see cref="RunPlanSteps"/>): the live graph's node
/// id, the activity the workflow calls for it and the system that call names (null: none, such as
/// the window steps).
/// </summary>
public sealed record RunPlanStep(string NodeId, string ActivityType, string? SystemId);
