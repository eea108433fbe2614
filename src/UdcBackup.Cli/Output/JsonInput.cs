using System.Text.Json;
using UdcBackup.Cli.Client;

namespace UdcBackup.Cli.Output;

/// <summary>Reads a JSON value given on the command line; malformed JSON is bad input (exit 2) and nothing is sent.</summary>
internal static class JsonInput
{
    public static JsonElement? Parse(string? text, string optionName)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{optionName}: not valid JSON ({e.Message})");
        }
    }

    /// <summary>Compact one-line JSON for tables.</summary>
    public static string Compact(JsonElement? value) => value is { } v ? JsonSerializer.Serialize(v) : string.Empty;
}
