using System.Text.Json;
using UdcBackup.Server.Tests.Infrastructure;

namespace UdcBackup.Server.Tests.Api;

/// <summary>
/// <c>GET /api/workflow-types?signals=true</c> names the signals each type's runs take, as the
/// runtime registered them, so the web's signal form offers those instead of a guess; without
/// the flag the answer stays the plain array of names every client reads.
/// </summary>
public sealed class WorkflowTypeSignalsTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public WorkflowTypeSignalsTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Each_type_lists_the_signals_its_runs_take()
    {
        var listed = JsonDocument.Parse(await _fixture.Server.GetRawAsync("/api/workflow-types?signals=true")).RootElement.EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("signals").EnumerateArray().Select(s => s.GetString()!).ToList());

        listed["flow"].Should().Equal("approve", "reject");
        listed["diag.steps"].Should().BeEmpty("a diag.steps run takes no signals");
        listed.Should().ContainKey("backup.refused", "every registered type is listed, as without the flag");
        var names = JsonDocument.Parse(await _fixture.Server.GetRawAsync("/api/workflow-types")).RootElement.EnumerateArray().Select(t => t.GetString()).ToList();
        listed.Keys.Should().Equal(names);
    }

    [Fact]
    public async Task The_startable_filter_applies_to_the_answer_with_signals()
    {
        var listed = JsonDocument.Parse(await _fixture.Server.GetRawAsync("/api/workflow-types?startable=true&signals=true")).RootElement.EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()).ToList();

        listed.Should().Contain("flow").And.NotContain("backup.refused");
    }
}
