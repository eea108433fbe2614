using Spectre.Console;

namespace UdcBackup.Cli.Output;

/// <summary>
/// A Spectre.Console surface over a plain <see cref="TextWriter"/>: no colours or cursor codes
/// (the output is read by people and by grep alike), a width wide enough that history lines are
/// not folded when piped.
/// </summary>
internal static class ConsoleView
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Console.IsOutputRedirected || writer != Console.Out ? 200 : Math.Max(Console.WindowWidth, 100);
        return console;
    }

    /// <summary>A table with the given column headers, drawn in plain ASCII.</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        return table;
    }

    /// <summary>Adds a row of plain text cells (no markup interpretation).</summary>
    public static void AddTextRow(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c ?? string.Empty)).ToArray());

    /// <summary>Times in the API are UTC; print them as such, to the second.</summary>
    public static string Time(DateTime? time) => time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'") : string.Empty;
}
