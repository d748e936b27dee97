using System.Security.Cryptography;

namespace Estafeta.Mail.Smtp;

/// <summary>Short unique ids for accepted messages, shown in the 250 reply and the Received field
/// so that a sender's report can be matched with the logs.</summary>
public static class QueueId
{
    private const string Alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjkmnpqrstvwxyz";

    public static string New(DateTimeOffset now)
    {
        Span<char> id = stackalloc char[16];
        var t = now.ToUnixTimeMilliseconds();
        for (var i = 7; i >= 0; i--) { id[i] = Alphabet[(int)(t % Alphabet.Length)]; t /= Alphabet.Length; }
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        for (var i = 0; i < 8; i++) id[8 + i] = Alphabet[random[i] % Alphabet.Length];
        return new string(id);
    }
}
