using System.Security.Cryptography;
using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>RFC 6376 §5.4.2's selection (each name in h= takes the last field of that name not yet taken, compared
/// without regard to case) checked against a plain reading of it, on random headers: names in any case, repeated,
/// missing (over-signing), of 255 octets and more, and outside ASCII.</summary>
public sealed class HeaderSelectionTests
{
    private static readonly string[] Names =
    [
        "From", "FROM", "from", "To", "Cc", "cc", "Subject", "Date", "DATE", "X-A", "X-a", "x-b", new string('N', 255),
        new string('n', 255), new string('N', 256), "Ñame", "ñame", "Reply-To",
    ];

    [Fact]
    public void Each_name_takes_the_last_field_of_that_name_not_yet_taken()
    {
        var random = new Random(5422);
        for (var round = 0; round < 3_000; round++)
        {
            var header = new StringBuilder();
            var fields = random.Next(0, 20);
            for (var i = 0; i < fields; i++) header.Append(Names[random.Next(Names.Length)]).Append(": value ").Append(i).Append("\r\n");
            var message = Encoding.Latin1.GetBytes(header + "\r\nbody\r\n");
            var signed = Enumerable.Range(0, random.Next(0, 12)).Select(_ => Names[random.Next(Names.Length)]).ToArray();
            var signature = "DKIM-Signature: v=1; b="u8;

            var wire = WireMessage.Parse(message);
            var actual = HeaderSelection.HeaderDigest(wire, signed, DkimCanonicalization.Relaxed, signature);
            Assert.Equal(Reference(wire, signed, signature), actual);
        }
    }

    private static byte[] Reference(WireMessage wire, string[] names, ReadOnlySpan<byte> signature)
    {
        var used = new bool[wire.Headers.Count];
        var canonical = new List<byte>();
        foreach (var name in names)
        {
            for (var i = wire.Headers.Count - 1; i >= 0; i--)
            {
                if (used[i] || !wire.Headers[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                used[i] = true;
                canonical.AddRange(DkimCanonicalizer.CanonicalizeHeader(wire.FieldBytes(wire.Headers[i]), DkimCanonicalization.Relaxed));
                break;
            }
        }
        canonical.AddRange(DkimCanonicalizer.CanonicalizeHeader(signature, DkimCanonicalization.Relaxed));
        return SHA256.HashData(canonical.ToArray());
    }
}
