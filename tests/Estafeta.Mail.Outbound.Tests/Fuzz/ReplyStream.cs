using System.Text;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>What an SMTP client should make of all the octets a server sent in one session, read in order as
/// replies (RFC 5321 §4.2), with the limits of <see cref="SmtpDelivery"/>: a line ends at LF (one CR before it
/// dropped), a reply line is three digits whose first is 2 to 5 followed by nothing, a space or a hyphen, every
/// line of one reply has the same code, a reply has at most 101 lines and a line fewer than 4096 octets. Reply
/// <c>i</c> answers the client's command <c>i</c> (the greeting is reply 0), pipelined or not.</summary>
internal sealed class ReplyStream
{
    public const int MaxLine = 4096;
    private const int ReadBuffer = 8192;
    private const int MaxContinuations = 100;

    public enum Kind
    {
        /// <summary>A complete reply.</summary>
        Reply,
        /// <summary>Not a reply: the client stops here.</summary>
        Bad,
        /// <summary>The octets end before the reply does: the client waits, then meets the end of the connection.</summary>
        Missing,
        /// <summary>A line of 4096 to 8191 octets: whether the client takes it depends on how it arrives in reads.</summary>
        Unknown,
    }

    public readonly record struct Reply(Kind Kind, int Code, IReadOnlyList<string> Lines)
    {
        public bool Is(int code) => Kind == Kind.Reply && Code == code;
        public bool IsSuccess => Kind == Kind.Reply && Code / 100 == 2;
        public override string ToString() => Kind == Kind.Reply ? $"{Code} ({Lines.Count} lines)" : Kind.ToString();
    }

    private readonly List<Reply> _replies = [];
    private Reply _end;

    private ReplyStream() { }

    /// <summary>The complete replies at the start of the octets.</summary>
    public int Count => _replies.Count;

    /// <summary>How the complete replies end: <see cref="Kind.Bad"/>, <see cref="Kind.Missing"/> or <see cref="Kind.Unknown"/>.</summary>
    public Kind End => _end.Kind;

    /// <summary>Reply number <paramref name="index"/>, or how the stream ends when it is not there.</summary>
    public Reply this[int index] => index < _replies.Count ? _replies[index] : _end;

    public static ReplyStream Parse(ReadOnlySpan<byte> bytes)
    {
        var stream = new ReplyStream();
        var position = 0;
        while (true)
        {
            var lines = new List<string>();
            var code = -1;
            while (true)
            {
                var lf = bytes[position..].IndexOf((byte)'\n');
                if (lf < 0)
                {
                    stream._end = new Reply(bytes.Length - position >= MaxLine ? Kind.Bad : Kind.Missing, 0, []);
                    return stream;
                }
                if (lf >= ReadBuffer) return stream.Ending(Kind.Bad);
                if (lf >= MaxLine) return stream.Ending(Kind.Unknown);
                var length = lf > 0 && bytes[position + lf - 1] == '\r' ? lf - 1 : lf;
                var line = Encoding.UTF8.GetString(bytes.Slice(position, length));
                position += lf + 1;
                if (line.Length < 3 || line[0] is < '2' or > '5' || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                    || line.Length > 3 && line[3] is not (' ' or '-'))
                    return stream.Ending(Kind.Bad);
                var lineCode = int.Parse(line.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
                if (code >= 0 && lineCode != code) return stream.Ending(Kind.Bad);
                code = lineCode;
                lines.Add(line.Length > 4 ? line[4..] : "");
                if (line.Length == 3 || line[3] == ' ')
                {
                    stream._replies.Add(new Reply(Kind.Reply, code, lines));
                    break;
                }
                if (lines.Count > MaxContinuations) return stream.Ending(Kind.Bad);
            }
        }
    }

    private ReplyStream Ending(Kind kind)
    {
        _end = new Reply(kind, 0, []);
        return this;
    }
}
