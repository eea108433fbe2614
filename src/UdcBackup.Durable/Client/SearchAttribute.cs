namespace UdcBackup.Durable.Client;

/// <summary>
/// One indexed label of a run (name and value, compared exactly), derived from the run's type and
/// input when it starts (<see cref="SearchAttributeRules"/>) and stored beside it, so a listing can
/// filter on it (<see cref="WorkflowListFilter.Attribute"/>) through an index instead of reading
/// every run. A run may carry several values of one name (e.g. every system a backup job covers).
/// </summary>
public sealed record SearchAttribute(string Name, string Value);
