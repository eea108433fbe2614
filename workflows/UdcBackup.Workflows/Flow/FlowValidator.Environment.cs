using System.Text.Json;
using UdcBackup.Activities.Metadata;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Validation;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// A script node's <c>environment</c> input, checked with the disk agents' own rule
/// (<see cref="ScriptEnvironmentRule"/> with the controller's configured prefixes, the rule site
/// files are checked with) so that a flow published through the API never carries a variable a
/// disk agent would refuse (PATH, LD_PRELOAD, a name outside the prefixes, an oversized value),
/// whatever the browser checked. Each refused variable is its own problem naming it. A value given
/// as an expression is computed at run time and left to the agent, which applies the rule again.
/// </summary>
public static partial class FlowValidator
{
    private const string EnvironmentInput = "environment";

    private static bool IsEnvironment(ActivityInputDescriptor input) =>
        input.Kind == ActivityInputKind.Json && input.Name == EnvironmentInput;

    private static void CheckEnvironment(FlowNode node, JsonElement value, ScriptEnvironmentRule rule, List<FlowProblem> p)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput} must be an object of names to text, got {value.ValueKind.ToString().ToLowerInvariant()}"));
            return;
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in value.EnumerateObject())
        {
            if (variable.Value.ValueKind == JsonValueKind.String)
            {
                texts[variable.Name] = variable.Value.GetString()!;
            }
            else if (rule.NameRefusal(variable.Name) is { } refusal)
            {
                p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput}: {refusal}"));
            }
            else
            {
                p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput} {variable.Name} must be text"));
            }
        }

        foreach (var problem in SiteNames.EnvironmentProblems(rule, texts))
        {
            p.Add(new(node.Id, EnvironmentInput, FlowProblemCodes.BadEnvironment, $"{EnvironmentInput}: {problem}"));
        }
    }
}
