using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>Recognises expression inputs: an object with exactly one member <c>$expr</c> holding text.</summary>
public static class FlowInputs
{
    public static bool IsExpression(JsonElement value, out string text)
    {
        text = string.Empty;
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("$expr", out var expr) || expr.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        text = expr.GetString()!;
        return true;
    }
}
