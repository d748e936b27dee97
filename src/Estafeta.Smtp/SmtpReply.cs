using System.Buffers;
using System.Globalization;
using System.Text;

namespace Estafeta.Smtp;

/// <summary>
/// One SMTP reply (RFC 5321 §4.2) with its enhanced status code (RFC 3463; "" for none, as in the
/// greeting, EHLO and 334/354). A multi-line reply separates its lines in <see cref="Text"/> with "\n".
/// </summary>
public readonly record struct SmtpReply
{
    public SmtpReply(int code, string enhancedCode, string text)
    {
        if (code is < 200 or > 599)
            throw new ArgumentOutOfRangeException(nameof(code), code, "An SMTP reply code is between 200 and 599.");
        ArgumentNullException.ThrowIfNull(enhancedCode);
        ArgumentNullException.ThrowIfNull(text);
        if (enhancedCode.Length > 0 && !IsEnhancedCode(enhancedCode, code))
            throw new ArgumentException($"'{enhancedCode}' is not an enhanced status code of class {code / 100} (RFC 3463: class.subject.detail).", nameof(enhancedCode));
        foreach (var c in text)
            if (c != '\n' && char.IsControl(c))
                throw new ArgumentException("A reply text has no control characters; separate lines with \"\\n\".", nameof(text));
        Code = code;
        EnhancedCode = enhancedCode;
        Text = text;
    }

    /// <summary>Text from outside (a report's id, a parser's error) made fit for one reply line: printable ASCII
    /// only (anything else becomes '?', so no line break or control character reaches the wire) and at most
    /// <paramref name="maxLength"/> characters.</summary>
    public static string Printable(string text, int maxLength)
    {
        var clean = new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return clean.Length <= maxLength ? clean : clean[..maxLength];
    }

    public int Code { get; }
    public string EnhancedCode { get; }
    public string Text { get; }

    public bool IsSuccess => Code is >= 200 and < 300;
    public bool IsIntermediate => Code is >= 300 and < 400;
    public bool IsTransientFailure => Code is >= 400 and < 500;
    public bool IsPermanentFailure => Code >= 500;

    /// <summary>False for <c>default(SmtpReply)</c>, which is no reply at all.</summary>
    public bool IsValid => Code != 0;

    public string[] Lines => (Text ?? "").Split('\n');

    public void Deconstruct(out int code, out string enhancedCode, out string text) =>
        (code, enhancedCode, text) = (Code, EnhancedCode, Text);

    /// <summary>The reply as sent, lines joined by CRLF, without the final CRLF.</summary>
    public override string ToString()
    {
        if (!IsValid) return "(no reply)";
        var b = new StringBuilder();
        var lines = Lines;
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) b.Append("\r\n");
            AppendLine(b, lines[i], last: i == lines.Length - 1);
        }
        return b.ToString();
    }

    internal void WriteTo(IBufferWriter<byte> output)
    {
        var lines = Lines;
        var b = new StringBuilder(64);
        for (var i = 0; i < lines.Length; i++)
        {
            b.Clear();
            AppendLine(b, lines[i], last: i == lines.Length - 1);
            b.Append("\r\n");
            var text = b.ToString();
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            output.Advance(Encoding.UTF8.GetBytes(text, span));
        }
    }

    private void AppendLine(StringBuilder b, string line, bool last)
    {
        b.Append(Code.ToString(CultureInfo.InvariantCulture)).Append(last ? ' ' : '-');
        if (EnhancedCode.Length > 0)
        {
            b.Append(EnhancedCode);
            if (line.Length > 0) b.Append(' ');
        }
        b.Append(line);
    }

    private static bool IsEnhancedCode(string s, int code)
    {
        var parts = s.Split('.');
        if (parts.Length != 3 || parts[0].Length != 1 || parts[0][0] - '0' != code / 100 || code / 100 == 3) return false;
        return IsNumber(parts[1]) && IsNumber(parts[2]);

        static bool IsNumber(string p) => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit);
    }
}
