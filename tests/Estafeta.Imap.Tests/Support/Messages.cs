namespace Estafeta.Imap.Tests.Support;

/// <summary>Sample messages: the files under Data/ and a few small ones.</summary>
public static class Messages
{
    public static byte[] File(string name) => System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));

    public static string Simple(string subject = "Hello", string from = "bob@example.org", string body = "Hi there.") =>
        $"From: {from}\r\nTo: alice@example.test\r\nSubject: {subject}\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\nMessage-ID: <{Guid.NewGuid():N}@example.org>\r\n\r\n{body}\r\n";
}
