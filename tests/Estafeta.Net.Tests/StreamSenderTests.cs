using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Estafeta.Net.Tests;

/// <summary>
/// A session's cancellation token (idle timer, server stop) may fire at any point of a flush. These tests
/// fire it at the two points that used to break a TLS connection: just as a flush finishes, and while a
/// write is waiting for a client that does not read.
/// </summary>
public sealed class StreamSenderTests
{
    [Fact]
    public async Task A_cancellation_arriving_as_a_flush_finishes_does_not_cancel_the_next_write()
    {
        var transport = new SocketLikeStream();
        var sender = new StreamSender(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterFlush = idle.Cancel; // the idle timer fires just after the greeting went out
        sender.Write("+OK ready\r\n"u8);
        await FlushIgnoringCancellationAsync(sender, idle.Token);
        transport.AfterFlush = null;

        sender.Write("-ERR Autologout\r\n"u8);
        var flushed = await sender.FlushAsync();

        Assert.False(flushed.IsCanceled);
        Assert.Equal("+OK ready\r\n-ERR Autologout\r\n", transport.Sent);
        await sender.CompleteAsync();
        Assert.Equal("+OK ready\r\n-ERR Autologout\r\n", transport.Sent);
        Assert.Equal(0, transport.Refused);
    }

    [Fact]
    public async Task A_flush_given_up_while_a_write_waits_for_the_client_leaves_that_write_whole_and_in_order()
    {
        var transport = new SocketLikeStream { Hold = true }; // the client is not reading
        var sender = new StreamSender(transport);
        using var idle = new CancellationTokenSource();
        sender.Write("+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n"u8);
        var flush = sender.FlushAsync(idle.Token).AsTask();
        await transport.WriteStarted;

        await idle.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush);
        sender.Write("-ERR Autologout\r\n"u8);
        var last = sender.FlushAsync().AsTask();
        Assert.False(last.IsCompleted);
        transport.Release(); // the client reads again
        await last;
        await sender.CompleteAsync();

        Assert.Equal("+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n-ERR Autologout\r\n", transport.Sent);
        Assert.Equal(0, transport.Refused);
    }

    [Fact]
    public async Task A_flush_returns_once_the_bytes_are_written_and_throws_what_writing_failed_with()
    {
        var transport = new SocketLikeStream();
        var sender = new StreamSender(transport);
        sender.Write("one\r\n"u8);
        await sender.FlushAsync();
        Assert.Equal("one\r\n", transport.Sent);

        transport.Fail = new IOException("Connection reset by peer");
        sender.Write("two\r\n"u8);
        var e = await Assert.ThrowsAsync<IOException>(async () => await sender.FlushAsync());
        Assert.Equal("Connection reset by peer", e.Message);
    }

    [Fact]
    public async Task Giving_up_drops_what_is_buffered_and_ends_a_write_that_waits_for_the_client()
    {
        var transport = new SocketLikeStream { Hold = true };
        var sender = new StreamSender(transport);
        sender.Write("a long reply\r\n"u8);
        var flush = sender.FlushAsync().AsTask();
        await transport.WriteStarted;
        sender.Write("never sent\r\n"u8);

        await sender.CompleteAsync(new TimeoutException("the client stopped reading"));

        await Assert.ThrowsAnyAsync<Exception>(() => flush);
        Assert.Equal("", transport.Sent);
        Assert.Equal(1, transport.Refused);
    }

    [Fact]
    public async Task Over_tls_the_client_decrypts_a_reply_sent_after_an_idle_cancellation_that_raced_the_previous_flush()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await clientSocket.ConnectAsync(listener.LocalEndPoint!);
        using var serverSocket = await accepting;

        var transport = new HookStream(new NetworkStream(serverSocket, ownsSocket: false));
        await using var serverTls = new SslStream(transport, leaveInnerStreamOpen: true);
        await using var clientTls = new SslStream(new NetworkStream(clientSocket, ownsSocket: false));
        await Task.WhenAll(
            serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = TestCertificate.Localhost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }),
            clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }));

        var output = new StreamSender(serverTls);
        using var idle = new CancellationTokenSource();
        transport.AfterFlush = idle.Cancel; // fires after the greeting's record was sent, before its flush returns
        output.Write("+OK pop.example.test ready\r\n"u8);
        await FlushIgnoringCancellationAsync(output, idle.Token);
        transport.AfterFlush = null;
        output.Write("-ERR Autologout: idle for too long\r\n"u8);
        await output.FlushAsync();
        await output.CompleteAsync();

        var received = new StringBuilder();
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!received.ToString().EndsWith("long\r\n", StringComparison.Ordinal))
        {
            var read = await clientTls.ReadAsync(buffer, timeout.Token); // a record out of step fails to decrypt here
            Assert.NotEqual(0, read);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        Assert.Equal("+OK pop.example.test ready\r\n-ERR Autologout: idle for too long\r\n", received.ToString());
    }

    private static async Task FlushIgnoringCancellationAsync(PipeWriter writer, CancellationToken ct)
    {
        try
        {
            await writer.FlushAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Whether the waiting flush notices the cancellation depends on timing; either way is correct.
        }
    }

    /// <summary>A transport that behaves like a socket's stream: a write with a token already cancelled is
    /// refused without sending anything, and a held write (a client that does not read) that is cancelled
    /// has sent nothing either.</summary>
    private sealed class SocketLikeStream : WriteOnlyStream
    {
        private readonly StringBuilder _sent = new();
        private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Hold { get; init; }
        public Action? AfterFlush { get; set; }
        public Exception? Fail { get; set; }
        public int Refused { get; private set; }
        public Task WriteStarted => _writeStarted.Task;

        public string Sent
        {
            get { lock (_sent) return _sent.ToString(); }
        }

        public void Release() => _release.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            if (Fail is { } fail) throw fail;
            if (ct.IsCancellationRequested)
            {
                Refused++;
                ct.ThrowIfCancellationRequested();
            }
            _writeStarted.TrySetResult();
            if (Hold)
            {
                try
                {
                    await _release.Task.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    Refused++;
                    throw;
                }
            }
            var text = Encoding.ASCII.GetString(buffer.Span);
            lock (_sent) _sent.Append(text);
        }

        public override Task FlushAsync(CancellationToken ct)
        {
            if (ct.IsCancellationRequested) return Task.FromCanceled(ct);
            AfterFlush?.Invoke();
            return Task.CompletedTask;
        }
    }

    /// <summary>Passes everything to a network stream; after a flush has gone through, runs <see cref="AfterFlush"/>.</summary>
    private sealed class HookStream(Stream inner) : WriteOnlyStream
    {
        public Action? AfterFlush { get; set; }
        public override bool CanRead => true;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override async Task FlushAsync(CancellationToken ct)
        {
            await inner.FlushAsync(ct);
            AfterFlush?.Invoke();
        }
    }

    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
    }
}
