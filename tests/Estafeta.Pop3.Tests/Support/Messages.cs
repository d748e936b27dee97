namespace Estafeta.Pop3.Tests.Support;

/// <summary>Stored messages used across the tests, with CRLF line ends as the store keeps them.</summary>
public static class Messages
{
    public const string Short =
        "From: Ana <ana@example.test>\r\nTo: alice@example.test\r\nSubject: Hola\r\n\r\nBuenos dias.\r\n";

    public const string WithDots =
        "From: Ana <ana@example.test>\r\nSubject: Dots\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n";

    public const string WithDotsOnTheWire =
        "From: Ana <ana@example.test>\r\nSubject: Dots\r\n\r\n..hidden\r\n...two\r\n..\r\nend\r\n.\r\n";

    public const string Spanish =
        "From: =?UTF-8?Q?Mar=C3=ADa?= <maria@example.test>\r\nTo: alice@example.test\r\n" +
        "Subject: Año nuevo: ¡señales de éxito en la campaña!\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
        "¿Qué tal? El niño comió piñata.\r\n.Línea que empieza con punto\r\n";

    public const string ThreeBodyLines =
        "Subject: Lines\r\nX-Header: yes\r\n\r\nline one\r\n.line two\r\nline three\r\n";
}
