using System.Text.Json;

namespace UdcBackup.Durable.Runtime;

/// <summary>An await of workflow code on an activity, timer or child workflow, resolved by a history event.</summary>
internal sealed class PendingOperation
{
    public static readonly PendingOperation Dropped = new(string.Empty);

    private readonly TaskCompletionSource<JsonElement?> completion = new();

    public PendingOperation(string name) => Name = name;

    public string Name { get; }

    public Task<JsonElement?> Task => completion.Task;

    public CancellationTokenRegistration Registration { get; set; }

    public void Complete(JsonElement? result)
    {
        Registration.Dispose();
        completion.TrySetResult(result);
    }

    public void Fail(Exception exception)
    {
        Registration.Dispose();
        completion.TrySetException(exception);
    }
}
