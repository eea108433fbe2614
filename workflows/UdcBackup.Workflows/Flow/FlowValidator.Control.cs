using System.Text.Json;
using System.Text.RegularExpressions;
using UdcBackup.Activities.Metadata;

namespace UdcBackup.Workflows.Flow;

/// <summary>Checks of control nodes and of expressions (see the main part for the rule list).</summary>
public static partial class FlowValidator
{
    private static readonly string[] ForEachSources = ["zone", "tier", "expression"];

    private static void CheckControl(FlowGraph graph, FlowNode node, List<FlowProblem> p)
    {
        void Need(string port, string what)
        {
            if (graph.Target(node.Id, port) is null)
            {
                p.Add(new(node.Id, port, FlowProblemCodes.MissingBranch, what));
            }
        }

        switch (node.Kind)
        {
            case FlowKinds.Sequence:
                Need("body", "sequence needs a body");
                break;
            case FlowKinds.If:
                if (string.IsNullOrWhiteSpace(FlowConfig.Text(node, "condition")))
                {
                    p.Add(new(node.Id, "condition", FlowProblemCodes.BadConfig, "condition is required"));
                }

                Need("then", "if needs a then branch");
                break;
            case FlowKinds.ForEach:
                var source = FlowConfig.Text(node, "source");
                if (!ForEachSources.Contains(source))
                {
                    p.Add(new(node.Id, "source", FlowProblemCodes.BadConfig, "source must be zone, tier or expression"));
                }

                if (string.IsNullOrWhiteSpace(FlowConfig.Text(node, "value")))
                {
                    p.Add(new(node.Id, "value", FlowProblemCodes.BadConfig, $"value is required (the {source ?? "zone"} to iterate over)"));
                }

                if (!VariablePattern().IsMatch(FlowConfig.Text(node, "variable") ?? string.Empty))
                {
                    p.Add(new(node.Id, "variable", FlowProblemCodes.BadConfig, "variable must be a name (letters, digits, _)"));
                }

                if (FlowConfig.Has(node, "parallelism") && FlowConfig.Number(node, "parallelism") is not (>= 1 and <= 64))
                {
                    p.Add(new(node.Id, "parallelism", FlowProblemCodes.BadConfig, "parallelism must be a whole number from 1 to 64"));
                }

                Need("body", "for-each needs a body");
                break;
            case FlowKinds.Try:
                Need("body", "try needs a body");
                if (graph.Target(node.Id, "finally") is null)
                {
                    p.Add(new(node.Id, "finally", FlowProblemCodes.FinallyWithoutCleanup, "try needs a finally branch (the cleanup that always runs)"));
                }

                break;
            case FlowKinds.Wait:
                if (FlowConfig.Duration(FlowConfig.Text(node, "duration")) is null)
                {
                    p.Add(new(node.Id, "duration", FlowProblemCodes.WrongType, "duration must be written [d.]hh:mm:ss"));
                }

                break;
            case FlowKinds.Approval:
                if (FlowConfig.Has(node, "signal") && !SignalPattern().IsMatch(FlowConfig.Text(node, "signal") ?? string.Empty))
                {
                    p.Add(new(node.Id, "signal", FlowProblemCodes.BadConfig, "signal must be a name (letters, digits, _ . -)"));
                }

                if (FlowConfig.Text(node, "timeout") is { Length: > 0 } timeout && FlowConfig.Duration(timeout) is not { Ticks: > 0 })
                {
                    p.Add(new(node.Id, "timeout", FlowProblemCodes.WrongType, "timeout must be empty or a positive [d.]hh:mm:ss"));
                }

                break;
            case FlowKinds.Parallel:
                var branches = graph.Port(node.Id, "branch");
                if (branches.Count < 2)
                {
                    p.Add(new(node.Id, "branch", FlowProblemCodes.MissingBranch, "parallel needs at least two branches"));
                }
                else if (branches.Select(b => graph.JoinOf(b.Target)).Distinct(StringComparer.Ordinal).ToList() is var joins && (joins.Count != 1 || joins[0] is null))
                {
                    p.Add(new(node.Id, "branch", FlowProblemCodes.ParallelJoin, "every branch must end at the same join node"));
                }

                if (FlowConfig.Has(node, "failFast") && FlowConfig.Bool(node, "failFast") is null)
                {
                    p.Add(new(node.Id, "failFast", FlowProblemCodes.WrongType, "failFast must be true or false"));
                }

                break;
        }
    }

    private static void CheckExpressions(FlowGraph graph, FlowNode node, ActivityCatalog catalog, List<FlowProblem> p)
    {
        var texts = new List<(string Field, string Text)>();
        foreach (var (name, value) in node.Input ?? new Dictionary<string, JsonElement>())
        {
            if (FlowInputs.IsExpression(value, out var text))
            {
                texts.Add((name, text));
            }
        }

        if (node.Kind == FlowKinds.If && FlowConfig.Text(node, "condition") is { Length: > 0 } condition)
        {
            texts.Add(("condition", condition));
        }

        if (node.Kind == FlowKinds.ForEach && FlowConfig.Text(node, "source") == "expression" && FlowConfig.Text(node, "value") is { Length: > 0 } items)
        {
            texts.Add(("value", items));
        }

        if (texts.Count == 0)
        {
            return;
        }

        var before = graph.Ancestors(node.Id);
        var variables = before.Select(id => graph.Nodes[id]).Where(n => n.Kind == FlowKinds.ForEach && graph.Target(n.Id, "body") is not null)
            .Select(n => FlowConfig.Text(n, "variable")).Where(v => v is not null).ToHashSet(StringComparer.Ordinal);
        foreach (var (field, text) in texts)
        {
            FlowExpression expression;
            try
            {
                expression = FlowExpression.Parse(text);
            }
            catch (FlowExpressionException e)
            {
                p.Add(new(node.Id, field, FlowProblemCodes.BadExpression, $"{field}: {e.Message}"));
                continue;
            }

            foreach (var path in expression.References)
            {
                if (CheckReference(graph, catalog, before, variables, path) is { } message)
                {
                    p.Add(new(node.Id, field, FlowProblemCodes.BadExpression, $"{field}: {message}"));
                }
            }
        }
    }

    private static string? CheckReference(FlowGraph graph, ActivityCatalog catalog, HashSet<string> before, HashSet<string?> variables, IReadOnlyList<string> path)
    {
        switch (path[0])
        {
            case "vars":
                return variables.Contains(path[1]) ? null : $"vars.{path[1]} is not the variable of an enclosing for-each";
            case "nodes":
                var id = path[1];
                if (!graph.Nodes.TryGetValue(id, out var target))
                {
                    return $"names node \"{id}\", which does not exist";
                }

                if (!before.Contains(id))
                {
                    return $"uses \"{id}\", which does not run before this node";
                }

                if (target.Kind != FlowKinds.Activity)
                {
                    return $"\"{id}\" is a {target.Kind} node, which has no outputs";
                }

                if (path.Count > 3 && catalog.Find(target.Activity ?? string.Empty) is { } activity && activity.Outputs.All(o => o.Name != path[3]))
                {
                    return $"{activity.Name} has no output \"{path[3]}\" (outputs: {string.Join(", ", activity.Outputs.Select(o => o.Name))})";
                }

                return null;
            default:
                return null;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SignalPattern();
}
