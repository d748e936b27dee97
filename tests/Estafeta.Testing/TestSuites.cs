using System.Runtime.CompilerServices;

namespace Estafeta.Testing;

/// <summary>Finds the repository root (the folder holding Estafeta.slnx) and the public conformance
/// suites beside it in <c>../shared/test-suites/</c>.</summary>
public static class TestSuites
{
    private const string SolutionFile = "Estafeta.slnx";

    /// <summary>The repository root, searched upwards from the test binaries, the working directory
    /// and this source file (builds with a separate artifacts path put the binaries elsewhere).</summary>
    public static string? RepositoryRoot { get; } = FindRoot();

    /// <summary>The full path of <paramref name="relativePath"/> under <c>../shared/test-suites/</c>,
    /// or an explanation of why it is not there.</summary>
    public static bool TryFind(string relativePath, out string path, out string problem)
    {
        problem = string.Empty;
        if (RepositoryRoot is null)
        {
            path = string.Empty;
            problem = $"Cannot find the repository root ({SolutionFile}) above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}.";
            return false;
        }

        path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "test-suites", relativePath));
        if (File.Exists(path) || Directory.Exists(path))
        {
            return true;
        }

        problem = $"The conformance suite file '{relativePath}' is missing: expected it at {path} (../shared/test-suites/ beside the repository root {RepositoryRoot}).";
        return false;
    }

    private static string? FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, Path.GetDirectoryName(sourceFile) })
        {
            for (var folder = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
                {
                    return folder.FullName;
                }
            }
        }

        return null;
    }
}
