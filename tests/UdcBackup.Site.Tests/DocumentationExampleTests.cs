using UdcBackup.Site.Loading;

namespace UdcBackup.Site.Tests;

/// <summary>The annotated example in docs/design/site-model.md must stay a valid site.</summary>
public class DocumentationExampleTests
{
    [Fact]
    public void The_annotated_example_of_the_design_document_is_valid()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "design", "site-model.md"));
        var start = doc.IndexOf("```yaml\nsite: example", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the document holds the annotated example");
        var body = doc[(start + "```yaml\n".Length)..];
        var yaml = body[..body.IndexOf("```", StringComparison.Ordinal)];

        var result = SiteDefinitionLoader.Parse(yaml, "site-model.md");

        result.Errors.Should().BeEmpty();
        result.Site!.Systems.Should().HaveCount(3);
    }
}
