using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Estafeta.Net;

/// <summary>
/// One accepted client. Sessions never own the socket: they read <see cref="Input"/>, write
/// <see cref="Output"/>, and ask the connection to switch to TLS. The switch drops every byte the
/// client sent before the handshake (the STARTTLS command-injection class of bugs).
/// </summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private Stream _stream;

    public Connection(Socket socket, ListenerShutdown shutdown)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _network;
        Shutdown = shutdown;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        (Input, Output) = CreatePipes(_stream);
    }

    /// <summary>Commands come from here. A read result is IsCanceled only after CancelPendingRead; a read whose token
    /// is cancelled throws (see <see cref="StreamReceiver"/>).</summary>
    public PipeReader Input { get; private set; }
    /// <summary>Replies go here. A flush's cancellation token only ends the wait for the client to take the
    /// bytes; the bytes are still sent, in order (see <see cref="StreamSender"/>).</summary>
    public PipeWriter Output { get; private set; }
    public IPEndPoint RemoteEndPoint { get; }
    public IPEndPoint LocalEndPoint { get; }
    public ListenerShutdown Shutdown { get; }
    public TlsDetails? Tls { get; private set; }
    public bool IsSecure => Tls is not null;
    /// <summary>Plaintext bytes the client had sent after STARTTLS and before the handshake; they were dropped.</summary>
    public long DiscardedBeforeTls { get; private set; }

    /// <summary>Performs the server side of a TLS handshake on this connection (implicit TLS or STARTTLS).
    /// Plaintext already read into the pipe is discarded first; plaintext still in the kernel's buffer
    /// goes to the handshake and makes it fail, so it can never be read as a command either. Throws <see cref="AuthenticationException"/> or
    /// <see cref="IOException"/> when the handshake fails; the caller then closes.</summary>
    public async Task UpgradeToTlsAsync(X509Certificate2 certificate, TimeSpan timeout, CancellationToken ct)
    {
        if (Tls is not null) throw new InvalidOperationException("The connection already uses TLS.");
        await Output.FlushAsync(ct).ConfigureAwait(false);
        if (Input.TryRead(out var buffered))
        {
            DiscardedBeforeTls = buffered.Buffer.Length;
            Input.AdvanceTo(buffered.Buffer.End);
        }
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);

        var ssl = new SslStream(_network, leaveInnerStreamOpen: true);
        try
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(timeout);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timer.Token).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _stream = ssl;
        Tls = new TlsDetails(ssl.SslProtocol.ToString(), ssl.NegotiatedCipherSuite.ToString());
        (Input, Output) = CreatePipes(ssl);
    }

    private static (PipeReader, PipeWriter) CreatePipes(Stream stream) =>
        (new StreamReceiver(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true)),
         new StreamSender(stream));

    /// <summary>How long closing may wait for replies still buffered to reach a client that stopped reading.</summary>
    public static readonly TimeSpan CloseFlushTimeout = TimeSpan.FromSeconds(5);

    public async ValueTask DisposeAsync()
    {
        var flush = CompleteQuietly(Output.CompleteAsync());
        if (await Task.WhenAny(flush, Task.Delay(CloseFlushTimeout)).ConfigureAwait(false) != flush)
            _socket.Dispose(); // the client stopped reading: fail the pending write instead of waiting for ever
        await flush.ConfigureAwait(false);
        await CompleteQuietly(Input.CompleteAsync()).ConfigureAwait(false);
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        if (_stream != _network) await CompleteQuietly(_stream.DisposeAsync()).ConfigureAwait(false);
        await _network.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CompleteQuietly(ValueTask pending)
    {
        try { await pending.ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The transport is already gone; there is nothing left to deliver.
        }
    }
}

public sealed record TlsDetails(string Protocol, string CipherSuite);
