using UdcBackup.Server.Auth;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>The access table on its own: which role each kind of request needs, and what is audited.</summary>
public sealed class AccessRulesTests
{
    [Theory]
    [InlineData("GET", "/api/workflows/", UserRole.Viewer, false)]
    [InlineData("GET", "/api/live/workflows/{id}", UserRole.Viewer, false)]
    [InlineData("HEAD", "/api/jobs", UserRole.Viewer, false)]
    [InlineData("POST", "/api/workflows/", UserRole.Operator, true)]
    [InlineData("POST", "/api/workflows/{runId}/cancel", UserRole.Operator, true)]
    [InlineData("POST", "/api/workflows/{id}/signals/{name}", UserRole.Operator, true)]
    [InlineData("POST", "/api/backups", UserRole.Operator, true)]
    [InlineData("POST", "/api/restores", UserRole.Operator, true)]
    [InlineData("POST", "/api/schedules/{id}/trigger", UserRole.Operator, true)]
    [InlineData("PUT", "/api/flows/{id}/draft", UserRole.Operator, true)]
    [InlineData("POST", "/api/flows/{id}/run", UserRole.Operator, true)]
    [InlineData("POST", "/api/flows/validate", UserRole.Viewer, false)]
    [InlineData("POST", "/api/site/", UserRole.Admin, true)]
    [InlineData("POST", "/api/schedules/", UserRole.Admin, true)]
    [InlineData("DELETE", "/api/schedules/{id}", UserRole.Admin, true)]
    [InlineData("PUT", "/api/schedules/{id}", UserRole.Admin, true)]
    [InlineData("POST", "/api/flows/{id}/publish", UserRole.Admin, true)]
    [InlineData("POST", "/api/agents/tokens", UserRole.Admin, true)]
    [InlineData("POST", "/api/some/endpoint/added/later", UserRole.Admin, true)]
    [InlineData("GET", "/api/audit", UserRole.Admin, false)]
    [InlineData("GET", "/api/users/", UserRole.Admin, false)]
    [InlineData("POST", "/api/users/{user}/tokens", UserRole.Viewer, true)]
    public void Each_request_needs_its_role(string method, string pattern, UserRole role, bool audited)
    {
        AccessRules.For(method, pattern, pattern).Should().Be(new AccessRule(role, audited));
    }

    [Theory]
    [InlineData("POST", "/api/auth/login", true)]
    [InlineData("GET", "/api/agents/ca", false)]
    public void Sign_in_and_the_agents_CA_are_open(string method, string pattern, bool audited)
    {
        AccessRules.For(method, pattern, pattern).Should().Be(new AccessRule(null, audited));
    }

    [Fact]
    public void A_request_no_endpoint_matches_only_needs_a_signed_in_user()
    {
        AccessRules.For("DELETE", null, "/api/nothing/here").Should().Be(new AccessRule(UserRole.Viewer, false));
    }
}
