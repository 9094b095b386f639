using System.Xml.Linq;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>The one version of the project: <c>&lt;Version&gt;</c> in Directory.Build.props.</summary>
internal static class ProjectVersion
{
    public static string Value { get; } = XDocument.Load(Path.Combine(SeedRoutes.RepositoryRoot, "Directory.Build.props"))
        .Descendants("Version").Single().Value.Trim();
}
