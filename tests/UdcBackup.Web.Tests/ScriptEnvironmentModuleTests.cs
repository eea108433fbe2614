using System.Diagnostics;
using System.Text.Json;
using UdcBackup.Web.Tests.Infrastructure;

namespace UdcBackup.Web.Tests;

/// <summary>
/// The designer's script environment module (web/src/designer/scriptEnvironment.ts) on the case
/// table the C# rule is tested against (tests/UdcBackup.Site.Tests/ScriptEnvironmentCases.json):
/// the module is compiled with the web app's own TypeScript compiler and run by Node, which answers
/// every case; the answers must be the table's, so the browser, the controller and the disk agent
/// say the same thing about the same environment. No browser and no controller are needed.
/// </summary>
public sealed class ScriptEnvironmentModuleTests : IDisposable
{
    // Reads the table, asks the compiled module every case and prints the answers in table order.
    private const string Runner = """
        import { readFileSync } from 'node:fs';
        import * as rule from './scriptEnvironment.js';
        const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
        const prefixesOf = (c) => c.prefixes ?? rule.DEFAULT_PREFIXES;
        const valueOf = (c) => c.value ?? c.repeat.repeat(c.count);
        const none = (a) => a ?? null;
        const first = (list) => list.length ? list[0] : null;
        const env = (c) => Object.fromEntries(Array.from({ length: c.variables }, (_, i) => [`UDC_V${i}`, 'a'.repeat(c.valueBytes)]));
        console.log(JSON.stringify({
          defaultPrefixes: rule.DEFAULT_PREFIXES,
          protectedNames: rule.PROTECTED_NAMES,
          protectedPrefixes: rule.PROTECTED_PREFIXES,
          limits: [rule.MAX_NAME_LENGTH, rule.MAX_VALUE_BYTES, rule.MAX_ENVIRONMENT_BYTES],
          names: cases.names.map((c) => [none(rule.nameRefusal(c.name, prefixesOf(c))), none(rule.refusal(c.name, 'v', prefixesOf(c)))]),
          values: cases.values.map((c) => none(rule.refusal(c.name, valueOf(c), prefixesOf(c)))),
          environments: cases.environments.map((c) => first(rule.environmentProblems(env(c), rule.DEFAULT_PREFIXES))),
          prefixes: cases.prefixes.map((c) => none(rule.prefixProblem(c.prefix))),
        }));
        """;

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("udc-env-module-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task The_designers_module_answers_every_case_of_the_shared_table_as_the_controller_does()
    {
        var table = Path.Combine(RepoPaths.Root, "tests", "UdcBackup.Site.Tests", "ScriptEnvironmentCases.json");
        var cases = JsonDocument.Parse(await File.ReadAllTextAsync(table)).RootElement;
        var answers = JsonDocument.Parse(await CompileAndRunAsync(table)).RootElement;

        Strings(answers.GetProperty("defaultPrefixes")).Should().Equal(Strings(cases.GetProperty("defaultPrefixes")));
        Strings(answers.GetProperty("protectedNames")).Should().Equal(Strings(cases.GetProperty("protectedNames")));
        Strings(answers.GetProperty("protectedPrefixes")).Should().Equal(Strings(cases.GetProperty("protectedPrefixes")));
        answers.GetProperty("limits").EnumerateArray().Select(l => l.GetInt32()).Should().Equal(
            cases.GetProperty("maxNameLength").GetInt32(), cases.GetProperty("maxValueBytes").GetInt32(), cases.GetProperty("maxEnvironmentBytes").GetInt32());

        var names = cases.GetProperty("names").EnumerateArray().ToList();
        answers.GetProperty("names").GetArrayLength().Should().Be(names.Count);
        foreach (var (c, answer) in names.Zip(answers.GetProperty("names").EnumerateArray()))
        {
            Expect(answer[0], c.GetProperty("refusal"), $"name case {c}");
            Expect(answer[1], c.GetProperty("refusal"), $"name case {c} with a value");
        }

        foreach (var list in new[] { "values", "environments" })
        {
            foreach (var (c, answer) in cases.GetProperty(list).EnumerateArray().Zip(answers.GetProperty(list).EnumerateArray()))
            {
                Expect(answer, c.GetProperty("refusal"), $"{list} case {c}");
            }
        }

        foreach (var (c, answer) in cases.GetProperty("prefixes").EnumerateArray().Zip(answers.GetProperty("prefixes").EnumerateArray()))
        {
            Expect(answer, c.GetProperty("problem"), $"prefix case {c}");
        }
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static void Expect(JsonElement answer, JsonElement expected, string what)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            answer.ValueKind.Should().Be(JsonValueKind.Null, $"{what} should be allowed, got {answer}");
        }
        else
        {
            answer.ValueKind.Should().Be(JsonValueKind.String, $"{what} should be refused");
            answer.GetString().Should().Contain(expected.GetString(), what);
        }
    }

    private async Task<string> CompileAndRunAsync(string table)
    {
        var tsc = Path.Combine(RepoPaths.Root, "web", "node_modules", ".bin", "tsc");
        if (!File.Exists(tsc))
        {
            throw new InvalidOperationException($"{tsc} is missing: run web/build.sh (./test.sh does this before the .NET tests).");
        }

        var source = Path.Combine(RepoPaths.Root, "web", "src", "designer", "scriptEnvironment.ts");
        await RunAsync(tsc, ["--outDir", _work.FullName, "--module", "esnext", "--target", "es2022", "--lib", "es2022,dom", "--strict", "--types", string.Empty, source]);
        await File.WriteAllTextAsync(Path.Combine(_work.FullName, "package.json"), """{ "type": "module" }""");
        var runner = Path.Combine(_work.FullName, "runner.js");
        await File.WriteAllTextAsync(runner, Runner);
        return await RunAsync("node", [runner, table]);
    }

    private async Task<string> RunAsync(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _work.FullName };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', info.ArgumentList)} failed: {await stdout}{await stderr}");
        return await stdout;
    }
}
