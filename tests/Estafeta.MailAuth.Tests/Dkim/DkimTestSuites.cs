using System.Runtime.CompilerServices;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>Finds ../shared/test-suites/dkim next to the repository root (the folder holding
/// Estafeta.slnx). A missing file fails the test; these suites are never skipped.</summary>
internal static class DkimTestSuites
{
    public static string Folder(string relative) => Path.Combine(Root(), relative);

    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root(), relative);
        if (!File.Exists(path)) Assert.Fail($"Test-suite file {path} is missing; the DKIM suites are read from ../shared/test-suites/dkim beside the repository root.");
        return path;
    }

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(PathOf(relative));

    /// <summary>The file with every bare LF turned into CRLF (the suites are stored with LF).</summary>
    public static byte[] ReadCrlf(string relative) => ToCrlf(ReadBytes(relative));

    public static string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    public static byte[] ToCrlf(byte[] bytes)
    {
        var output = new List<byte>(bytes.Length + bytes.Length / 20);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && (i == 0 || bytes[i - 1] != (byte)'\r')) output.Add((byte)'\r');
            output.Add(bytes[i]);
        }
        return output.ToArray();
    }

    private static string Root([CallerFilePath] string sourceFile = "")
    {
        var starts = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? string.Empty, Directory.GetCurrentDirectory() };
        foreach (var start in starts)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (!File.Exists(Path.Combine(folder.FullName, "Estafeta.slnx"))) continue;
                var suites = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "test-suites", "dkim"));
                if (Directory.Exists(suites)) return suites;
                Assert.Fail($"Found the repository at {folder.FullName} but not the DKIM test suites at {suites}.");
            }
        }
        Assert.Fail($"Could not find Estafeta.slnx above any of: {string.Join(", ", starts)}; the DKIM suites live in ../shared/test-suites/dkim beside it.");
        return string.Empty;
    }
}
