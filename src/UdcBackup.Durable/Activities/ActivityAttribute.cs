namespace UdcBackup.Durable.Activities;

/// <summary>
/// Marks an activity method: zero or one JSON-serialisable argument; returns void, T, Task or
/// Task&lt;T&gt;. The name defaults to the method name without an "Async" suffix.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ActivityAttribute : Attribute
{
    public ActivityAttribute(string? name = null) => Name = name;

    public string? Name { get; }
}
