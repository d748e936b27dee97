using System.Security.Cryptography;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The per-installation key that signs confirmation, unsubscribe and preference links and form timestamps:
/// 32 random bytes in <c>DATA/audience.key</c>, created on first use with mode 0600. Every process on the same
/// data folder (serve, CLI verbs) reads the same file, so links made by one are accepted by the other.
/// </summary>
public static class ConsentSecret
{
    public const string FileName = "audience.key";

    public static byte[] LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path)) return Read(path);
        Directory.CreateDirectory(dataDirectory);
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            // Two processes may race to create it: the first rename wins and both read the winner's key.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }

        return Read(path);
    }

    private static byte[] Read(string path)
    {
        var key = File.ReadAllBytes(path);
        if (key.Length < 32) throw new Estafeta.Storage.StorageException($"{path} is damaged (shorter than 32 bytes); remove it to make a new one (links already sent stop working)");
        return key;
    }
}
