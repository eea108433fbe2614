using System.Linq.Expressions;
using System.Reflection;

namespace UdcBackup.Durable.Runtime;

/// <summary>
/// Reads "call this method with these arguments" out of a lambda such as
/// <c>(MyActivities a) =&gt; a.CopyAsync(input)</c> without compiling it (compiling costs far
/// more than the call): constants and captured variables are read by reflection; anything else
/// is interpreted.
/// </summary>
internal static class ExpressionCalls
{
    public static (MethodInfo Method, object? Argument) Read(LambdaExpression call)
    {
        var body = call.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : call.Body;
        if (body is not MethodCallExpression method)
        {
            throw new ArgumentException("The expression must be a single method call, e.g. (MyActivities a) => a.DoAsync(input).");
        }

        if (method.Arguments.Count > 1)
        {
            throw new ArgumentException($"{method.Method.Name}: activities and workflows take at most one argument.");
        }

        return (method.Method, method.Arguments.Count == 1 ? Evaluate(method.Arguments[0]) : null);
    }

    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression c => c.Value,
        MemberExpression { Member: FieldInfo f } m => f.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MemberExpression { Member: PropertyInfo p } m => p.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        UnaryExpression { NodeType: ExpressionType.Convert } u when u.Type == typeof(object) => Evaluate(u.Operand),
        _ => Expression.Lambda(expression).Compile(preferInterpretation: true).DynamicInvoke(),
    };
}
