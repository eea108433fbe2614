using System.Reflection;

namespace UdcBackup.Durable.Runtime;

/// <summary>Turns what a reflected method returned (void, T, Task, Task&lt;T&gt;) into the result value.</summary>
internal static class TaskResults
{
    private const string ResultProperty = "Result";

    /// <summary>Gets the result type of a method's return type: null for void and Task.</summary>
    public static Type? ResultType(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            return null;
        }

        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return returnType.GetGenericArguments()[0];
        }

        return returnType;
    }

    public static PropertyInfo? ResultGetter(Type returnType) =>
        returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? returnType.GetProperty(ResultProperty)
            : null;

    public static async Task<object?> UnwrapAsync(object? returned, PropertyInfo? resultGetter)
    {
        switch (returned)
        {
            case Task task:
                await task;
                return resultGetter?.GetValue(task);
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                if (returned is not null && returned.GetType().IsGenericType && returned.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)returned.GetType().GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                    await asTask;
                    return asTask.GetType().GetProperty(ResultProperty)!.GetValue(asTask);
                }

                return returned;
        }
    }

    public static object? Invoke(MethodInfo method, object? target, object? argument, bool hasParameter) =>
        method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, hasParameter ? [argument] : [], null);
}
