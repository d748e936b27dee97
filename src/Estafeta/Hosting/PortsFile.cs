using System.Net;
using System.Text.Json;

namespace Estafeta.Hosting;

/// <summary>DATA/ports.json: the address each listener actually bound (port 0 picks a free one), so
/// tests and scripts can find a server they started.</summary>
public static class PortsFile
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "ports.json");

    public static async Task WriteAsync(string dataDirectory, IReadOnlyDictionary<string, IPEndPoint> endpoints)
    {
        var path = PathIn(dataDirectory);
        var temp = path + ".tmp";
        var json = JsonSerializer.Serialize(endpoints.ToDictionary(e => e.Key, e => Format(e.Value)), new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(temp, json);
        File.Move(temp, path, overwrite: true);
    }

    public static async Task<Dictionary<string, IPEndPoint>> ReadAsync(string dataDirectory)
    {
        var json = await File.ReadAllTextAsync(PathIn(dataDirectory));
        var raw = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return raw.ToDictionary(e => e.Key, e => IPEndPoint.Parse(e.Value));
    }

    public static string Format(IPEndPoint endpoint) => endpoint.ToString();
}
