using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Estafeta.Mail.Outbound.Tests.Support;

/// <summary>A message a sink accepted: the envelope, the bytes and whether the session was encrypted.</summary>
public sealed record SinkMail(string From, IReadOnlyList<string> To, byte[] Data, bool Tls, int Connection)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>
/// A tiny scripted SMTP server on a loopback address: answers 250 by default, or what the test says for the
/// greeting, RCPT and DATA; can drop the connection in the middle of DATA, and offer STARTTLS with a self-signed
/// certificate. Counts connections.
/// </summary>
public sealed class ScriptedSmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly ConcurrentQueue<SinkMail> _mail = new();
    private readonly SemaphoreSlim _arrived = new(0, int.MaxValue);
    private int _connections;

    private ScriptedSmtpSink(TcpListener listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        _accept = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint { get; }
    public string Name { get; set; } = "sink.test";
    public X509Certificate2? Certificate { get; set; }
    public bool AdvertiseDsn { get; set; }
    public string Greeting { get; set; } = "220 sink.test ESMTP";
    public Func<string, string> RcptReply { get; set; } = _ => "250 2.1.5 Ok";
    public Func<SinkMail, string> DataReply { get; set; } = _ => "250 2.0.0 Ok: queued";
    public bool DropMidData { get; set; }
    public bool Pipelining { get; set; } = true;

    /// <summary>When set, AUTH PLAIN and LOGIN are offered and this user name and password are accepted.</summary>
    public (string User, string Password)? Login { get; set; }
    public ConcurrentQueue<string> LoggedIn { get; } = new();
    public int Connections => Volatile.Read(ref _connections);
    public IReadOnlyList<SinkMail> Mail => [.. _mail];
    public ConcurrentQueue<string> Commands { get; } = new();

    public static ScriptedSmtpSink Start(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return new ScriptedSmtpSink(listener);
    }

    /// <summary>Sinks on 127.0.0.2, 127.0.0.3, ... sharing one port (MX delivery uses one port for every host).</summary>
    public static IReadOnlyList<ScriptedSmtpSink> StartMany(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var sinks = new List<ScriptedSmtpSink>();
            try
            {
                sinks.Add(Start(IPAddress.Parse("127.0.0.2"), 0));
                for (var i = 1; i < count; i++) sinks.Add(Start(IPAddress.Parse($"127.0.0.{i + 2}"), sinks[0].EndPoint.Port));
                return sinks;
            }
            catch (SocketException) when (attempt < 20)
            {
                foreach (var s in sinks) s.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    public async Task WaitForMailAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (_mail.Count < count) await _arrived.WaitAsync(cts.Token);
    }

    public static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            var n = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => SessionAsync(client, n));
        }
    }

    private async Task SessionAsync(TcpClient client, int connection)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var tls = false;
        try
        {
            await WriteAsync(stream, Greeting);
            if (!Greeting.StartsWith('2')) return;
            string? from = null;
            var to = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync(stream);
                if (line is null) return;
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        var caps = new List<string> { Name, "8BITMIME", "ENHANCEDSTATUSCODES", "SIZE 100000000" };
                        if (Pipelining) caps.Add("PIPELINING");
                        if (AdvertiseDsn) caps.Add("DSN");
                        if (Login is not null) caps.Add("AUTH PLAIN LOGIN");
                        if (Certificate is not null && !tls) caps.Add("STARTTLS");
                        for (var i = 0; i < caps.Count; i++) await WriteAsync(stream, (i == caps.Count - 1 ? "250 " : "250-") + caps[i]);
                        break;
                    case "HELO": await WriteAsync(stream, "250 " + Name); break;
                    case "STARTTLS":
                        await WriteAsync(stream, "220 2.0.0 Ready to start TLS");
                        var ssl = new SslStream(stream);
                        await ssl.AuthenticateAsServerAsync(Certificate!);
                        stream = ssl;
                        tls = true;
                        break;
                    case "MAIL":
                        from = Between(line);
                        to.Clear();
                        await WriteAsync(stream, "250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        var reply = RcptReply(Between(line));
                        if (reply.StartsWith('2')) to.Add(Between(line));
                        await WriteAsync(stream, reply);
                        break;
                    case "DATA":
                        if (to.Count == 0) { await WriteAsync(stream, "554 5.5.1 No valid recipients"); break; }
                        await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>");
                        var data = await ReadDataAsync(stream);
                        if (data is null) return;
                        var mail = new SinkMail(from ?? "", [.. to], data, tls, connection);
                        var answer = DataReply(mail);
                        if (answer.StartsWith('2'))
                        {
                            _mail.Enqueue(mail);
                            _arrived.Release();
                        }
                        await WriteAsync(stream, answer);
                        if (answer.StartsWith("421", StringComparison.Ordinal)) return;
                        break;
                    case "AUTH" when Login is { } login:
                        var words = line.Split(' ');
                        string user, password;
                        if (words.Length >= 2 && words[1].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
                        {
                            await WriteAsync(stream, "334 VXNlcm5hbWU6");
                            user = Encoding.UTF8.GetString(Convert.FromBase64String(await ReadLineAsync(stream) ?? ""));
                            await WriteAsync(stream, "334 UGFzc3dvcmQ6");
                            password = Encoding.UTF8.GetString(Convert.FromBase64String(await ReadLineAsync(stream) ?? ""));
                        }
                        else
                        {
                            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(words.Length > 2 ? words[2] : "")).Split('\0');
                            (user, password) = parts.Length == 3 ? (parts[1], parts[2]) : ("", "");
                        }
                        if (user == login.User && password == login.Password)
                        {
                            LoggedIn.Enqueue(user);
                            await WriteAsync(stream, "235 2.7.0 Authentication successful");
                        }
                        else
                        {
                            await WriteAsync(stream, "535 5.7.8 Authentication credentials invalid");
                        }
                        break;
                    case "RSET": to.Clear(); from = null; await WriteAsync(stream, "250 2.0.0 Ok"); break;
                    case "NOOP": await WriteAsync(stream, "250 2.0.0 Ok"); break;
                    case "QUIT": await WriteAsync(stream, "221 2.0.0 Bye"); return;
                    default: await WriteAsync(stream, "502 5.5.2 Command not recognized"); break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException) { }
        finally { await stream.DisposeAsync(); }
    }

    private async Task<byte[]?> ReadDataAsync(Stream stream)
    {
        var data = new MemoryStream();
        var lines = 0;
        while (true)
        {
            var line = await ReadLineAsync(stream);
            if (line is null) return null;
            if (line == ".") return data.ToArray();
            if (DropMidData && ++lines > 3)
            {
                stream.Dispose();
                return null;
            }
            var text = line.StartsWith('.') ? line[1..] : line;
            data.Write(Encoding.UTF8.GetBytes(text + "\r\n"));
        }
    }

    private static string Between(string line)
    {
        var start = line.IndexOf('<');
        var end = line.IndexOf('>', start + 1);
        return start < 0 || end < 0 ? "" : line[(start + 1)..end];
    }

    private static async Task WriteAsync(Stream stream, string line)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        await stream.FlushAsync();
    }

    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>(128);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            if (one[0] == '\n') break;
            bytes.Add(one[0]);
        }
        if (bytes.Count > 0 && bytes[^1] == '\r') bytes.RemoveAt(bytes.Count - 1);
        return Encoding.UTF8.GetString([.. bytes]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accept; } catch (OperationCanceledException) { }
        Certificate?.Dispose();
    }
}
