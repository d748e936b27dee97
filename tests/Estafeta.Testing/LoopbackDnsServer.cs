using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Testing;

public enum DnsTransport
{
    Udp,
    Tcp,
}

/// <summary>One question the server received.</summary>
public sealed record LoopbackDnsQuery(string Name, DnsRecordType Type, DnsTransport Transport);

/// <summary>A real authoritative DNS server on 127.0.0.1 (UDP and TCP on the same free port) that
/// answers from a <see cref="DnsZone"/>. Point the product at <see cref="EndPoint"/> (for example
/// <c>--dns {dns.EndPoint}</c>) or use <see cref="CreateResolver"/>.</summary>
/// <example><code>
/// var zone = new DnsZone().AddMx("example.test", 10, "mx.example.test").AddA("mx.example.test", "127.0.0.1");
/// await using var dns = await LoopbackDnsServer.StartAsync(zone);
/// </code></example>
public sealed class LoopbackDnsServer : IAsyncDisposable
{
    private const int MaxBindAttempts = 50;

    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<LoopbackDnsQuery> _queries = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _queryCount;

    private LoopbackDnsServer(DnsZone zone, Socket udp, TcpListener tcp)
    {
        Zone = zone;
        _udp = udp;
        _tcp = tcp;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _udpLoop = Task.Run(ServeUdpAsync);
        _tcpLoop = Task.Run(ServeTcpAsync);
    }

    public DnsZone Zone { get; }

    /// <summary>127.0.0.1 and the port both UDP and TCP listen on.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Questions received so far (answered or not).</summary>
    public int QueryCount => Volatile.Read(ref _queryCount);

    public IReadOnlyList<LoopbackDnsQuery> Queries => _queries.ToArray();

    /// <summary>Binds UDP on a free loopback port, then TCP on the same port, and starts answering.</summary>
    public static Task<LoopbackDnsServer> StartAsync(DnsZone zone, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        for (var attempt = 0; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            var tcp = new TcpListener(IPAddress.Loopback, port);
            try
            {
                tcp.Start();
                return Task.FromResult(new LoopbackDnsServer(zone, udp, tcp));
            }
            catch (SocketException) when (attempt < MaxBindAttempts)
            {
                udp.Dispose();
            }
        }
    }

    /// <summary>
    /// A product resolver pointed at this server. The default timeout is long: this server always answers (unless its
    /// zone says to time out, and tests of that give their own short timeout), and on a loaded machine a first answer
    /// can take seconds; a query timed out too early is asked again, which a test counting queries reads as a cache miss.
    /// </summary>
    public DnsClientResolver CreateResolver(TimeProvider? time = null, TimeSpan? timeout = null, int retries = 0, int cacheCapacity = 10_000) =>
        new(new DnsClientResolverOptions
        {
            Servers = [EndPoint],
            Timeout = timeout ?? TimeSpan.FromSeconds(15),
            Retries = retries,
            CacheCapacity = cacheCapacity,
        }, time);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        _tcp.Stop();
        await Quietly(_udpLoop).ConfigureAwait(false);
        await Quietly(_tcpLoop).ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            await Quietly(connection).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[ushort.MaxValue];
        var anyone = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, anyone, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException && !_stop.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var response = Answer(buffer.AsSpan(0, received.ReceivedBytes), DnsTransport.Udp);
            if (response is null)
            {
                continue;
            }

            try
            {
                await _udp.SendToAsync(response, SocketFlags.None, received.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping; nothing to report.
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            var connection = ServeConnectionAsync(client);
            _connections[connection] = true;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>RFC 1035 §4.2.2: each message is preceded by its length as two octets.</summary>
    private async Task ServeConnectionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var prefix = new byte[2];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(prefix, _stop.Token).ConfigureAwait(false);
                var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await stream.ReadExactlyAsync(message, _stop.Token).ConfigureAwait(false);
                var response = Answer(message, DnsTransport.Tcp);
                if (response is null)
                {
                    continue;
                }

                var framed = new byte[response.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
                response.CopyTo(framed, 2);
                await stream.WriteAsync(framed, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Connection closed by the client, or the server is stopping.
        }
    }

    private byte[]? Answer(ReadOnlySpan<byte> message, DnsTransport transport)
    {
        if (!DnsQueryMessage.TryParse(message, out var query))
        {
            return null;
        }

        Interlocked.Increment(ref _queryCount);
        _queries.Enqueue(new LoopbackDnsQuery(query.Name, query.Type, transport));
        return DnsResponseBuilder.Build(query, Zone, transport == DnsTransport.Udp);
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping.
        }
    }
}
