using System.Text.Json;
using UdcBackup.Activities.Metadata;
using UdcBackup.Site.Validation;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// A script node's <c>environment</c> input, checked with the site file's rule
/// (<see cref="SiteNames.IsScriptVariable"/>: UDC_* and PG* names only) so that a flow published
/// through the API cannot carry PATH, LD_PRELOAD and the like to a disk agent, whatever the
/// browser checked. A value given as an expression is computed at run time and left to the agent,
/// which applies its own rule again.
/// </summary>
public static partial class FlowValidator
{
    private const string EnvironmentInput = "environment";

    private static bool IsEnvironment(ActivityInputDescriptor input) =>
        input.Kind == ActivityInputKind.Json && input.Name == EnvironmentInput;

    private static void CheckEnvironment(FlowNode node, JsonElement value, List<FlowProblem> p)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput} must be an object of names to text, got {value.ValueKind.ToString().ToLowerInvariant()}"));
            return;
        }

        foreach (var variable in value.EnumerateObject())
        {
            if (!SiteNames.IsScriptVariable(variable.Name))
            {
                p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput} name '{variable.Name}' is not a script variable: only UDC_* and PG* names may be set for a script"));
            }
            else if (variable.Value.ValueKind != JsonValueKind.String)
            {
                p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput} {variable.Name} must be text"));
            }
            else if (variable.Value.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput} {variable.Name} contains a NUL character, which the disk agent refuses"));
            }
        }
    }
}
