namespace Estafeta.Storage.Tests;

/// <summary>Unique names so tests sharing a database never collide.</summary>
internal static class Names
{
    private static int counter;

    public static string Domain() =>
        $"d{Interlocked.Increment(ref counter)}-{Guid.NewGuid().ToString("N")[..8]}.test";
}
