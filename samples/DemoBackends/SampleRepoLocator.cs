namespace DemoBackends;

/// <summary>Finds the shipped sample tree: next to the binaries when copied to output, else in the source tree above them.</summary>
internal static class SampleRepoLocator
{
    private const string FolderName = "sample-repo";
    private const string MarkerFile = "README.md";

    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var beside = Path.Combine(dir.FullName, FolderName);
                if (File.Exists(Path.Combine(beside, MarkerFile)))
                {
                    return beside;
                }

                var inSources = Path.Combine(dir.FullName, "samples", "DemoBackends", FolderName);
                if (File.Exists(Path.Combine(inSources, MarkerFile)))
                {
                    return inSources;
                }
            }
        }

        return Path.Combine(AppContext.BaseDirectory, FolderName);
    }
}
