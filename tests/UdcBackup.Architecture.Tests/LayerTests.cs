using System.Reflection;

namespace UdcBackup.Architecture.Tests;

/// <summary>
/// Enforces the layer map of the design: a lower layer never references a higher one.
/// The allowed edges are listed here once; any new project reference must be added on purpose.
/// </summary>
public class LayerTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["UdcBackup.Durable"] = [],
        ["UdcBackup.Archive"] = [],
        ["UdcBackup.Firewall"] = [],
        ["UdcBackup.ScriptContract"] = [],
        ["UdcBackup.Agents"] = ["UdcBackup.Archive", "UdcBackup.ScriptContract"],
        ["UdcBackup.Activities"] = ["UdcBackup.Durable", "UdcBackup.Archive", "UdcBackup.Firewall", "UdcBackup.Agents", "UdcBackup.Site", "UdcBackup.ScriptContract"],
        ["UdcBackup.Workflows"] = ["UdcBackup.Durable", "UdcBackup.Activities", "UdcBackup.Site", "UdcBackup.ScriptContract"],
        ["UdcBackup.Site"] = ["UdcBackup.ScriptContract"],
        ["UdcBackup.Server"] = ["UdcBackup.Durable", "UdcBackup.Activities", "UdcBackup.Workflows", "UdcBackup.Archive", "UdcBackup.Firewall", "UdcBackup.Agents", "UdcBackup.Site", "UdcBackup.ScriptContract"],
    };

    public static TheoryData<string> Layers()
    {
        var data = new TheoryData<string>();
        foreach (var name in Allowed.Keys)
        {
            if (File.Exists(Path.Combine(AppContext.BaseDirectory, name + ".dll")))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_references_only_the_layers_below_it(string layer)
    {
        var assembly = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, layer + ".dll"));
        var ours = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("UdcBackup.", StringComparison.Ordinal) || n == "udc")
            .ToList();

        ours.Should().BeSubsetOf(Allowed[layer], "{0} may only reference {1}", layer, string.Join(", ", Allowed[layer]));
    }

    [Fact]
    public void Every_product_project_has_a_layer_rule_and_is_inspected()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "UdcBackup.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("UdcBackup.sln not found above the test folder");
        }

        var projects = new[] { "src", "activities", "workflows" }
            .SelectMany(dir => Directory.GetFiles(Path.Combine(root, dir), "*.csproj", SearchOption.AllDirectories))
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n != "UdcBackup.Cli")
            .ToList();

        projects.Should().NotBeEmpty();
        projects.Should().OnlyContain(n => Allowed.ContainsKey(n!), "a new project needs its place in the layer map");
        projects.Should().OnlyContain(
            n => File.Exists(Path.Combine(AppContext.BaseDirectory, n + ".dll")),
            "the architecture test project must reference every product project to inspect it");
    }
}
