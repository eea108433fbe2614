using System.Text.Json;
using UdcBackup.Activities.Metadata;
using UdcBackup.Activities.Systems;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Workflows.Tests.Flow;

/// <summary>A script node's environment as the controller checks it when a flow is validated or published.</summary>
public sealed class FlowValidatorEnvironmentTests
{
    private static readonly ActivityCatalog Catalog = ActivityCatalog.FromTypes([typeof(SystemActivities)]);

    private static IReadOnlyList<FlowProblem> Validate(object environment)
    {
        var input = new Dictionary<string, JsonElement>
        {
            ["systemId"] = JsonSerializer.SerializeToElement("portal-db"),
            ["script"] = JsonSerializer.SerializeToElement("postgresql/pre-backup"),
            ["environment"] = JsonSerializer.SerializeToElement(environment),
        };
        var node = new FlowNode("quiesce", FlowKinds.Activity, "Quiesce", null, "system.run-script", input, null, null);
        return FlowValidator.Validate(FlowBuilder.Build("env-check", [node], "start>quiesce"), Catalog);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("LD_PRELOAD")]
    [InlineData("BASH_ENV")]
    [InlineData("udc_mode")]
    public void A_name_outside_the_site_rule_is_a_problem_on_the_node_naming_it(string name)
    {
        var problems = Validate(new Dictionary<string, string> { ["UDC_MODE"] = "full", [name] = "/tmp/x" });

        problems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { NodeId = "quiesce", Input = "environment", Code = FlowProblemCodes.BadEnvironment });
        problems[0].Message.Should().Contain($"'{name}'");
    }

    [Fact]
    public void Script_variables_pass_and_other_shapes_are_problems()
    {
        Validate(new Dictionary<string, string> { ["UDC_MODE"] = "full", ["PGDATABASE"] = "portal" }).Should().BeEmpty();
        Validate(new Dictionary<string, string> { ["$expr"] = "vars.environment" }).Should().NotContain(problem => problem.Code == FlowProblemCodes.BadEnvironment, "an expression is computed at run time and checked by the agent");
        Validate(new Dictionary<string, object> { ["UDC_COUNT"] = 3 }).Should().ContainSingle().Which.Code.Should().Be(FlowProblemCodes.BadEnvironment);
        Validate(new Dictionary<string, string> { ["UDC_MODE"] = "a\0b" }).Should().ContainSingle().Which.Message.Should().Contain("NUL");
    }
}
