using System.Globalization;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows;

/// <summary>
/// Collects the problems of an <see cref="IValidatedWorkflowInput"/>, worded alike for every
/// workflow: the field as written in JSON (<c>systems[0].agentEndpoint</c>), then what it takes.
/// A missing value is one problem; checks of a value that is missing are skipped, so the field is
/// named once.
/// </summary>
public sealed class WorkflowInputProblems
{
    private readonly List<string> _problems = [];

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<string> ToList() => _problems.ToList();

    /// <summary>Adds a problem worded by the caller (a rule between fields).</summary>
    public WorkflowInputProblems Add(string problem)
    {
        _problems.Add(problem);
        return this;
    }

    /// <summary>A text that must be given and not blank; <paramref name="what"/> says what it is.</summary>
    public WorkflowInputProblems Required(string field, string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? Add($"{field} is required ({what})") : this;

    /// <summary>A value (object or list) that must be given; <paramref name="what"/> says what it is.</summary>
    public WorkflowInputProblems Required(string field, object? value, string what) =>
        value is null ? Add($"{field} is required ({what})") : this;

    /// <summary>A number within <paramref name="minimum"/>..<paramref name="maximum"/>; a missing one is not checked.</summary>
    public WorkflowInputProblems Between(string field, long? value, long minimum, long maximum) =>
        value is { } v && (v < minimum || v > maximum)
            ? Add(string.Create(CultureInfo.InvariantCulture, $"{field} must be between {minimum} and {maximum}, was {v}"))
            : this;

    /// <summary>A number not below <paramref name="minimum"/>; a missing one is not checked.</summary>
    public WorkflowInputProblems AtLeast(string field, long? value, long minimum) =>
        value is { } v && v < minimum
            ? Add(string.Create(CultureInfo.InvariantCulture, $"{field} must be at least {minimum}, was {v}"))
            : this;

    /// <summary>Checks each item of a list under <c>field[i]</c>; a missing list or item is one problem.</summary>
    public WorkflowInputProblems Each<T>(string field, IReadOnlyList<T?>? items, Action<WorkflowInputProblems, string, T> check)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(check);
        for (var i = 0; items is not null && i < items.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
            if (items[i] is { } item)
            {
                check(this, name, item);
            }
            else
            {
                Add($"{name} is required (an object, not null)");
            }
        }

        return this;
    }
}
