using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;

namespace Estafeta.Net.Tests;

/// <summary>
/// A session's cancellation token (idle timer, server stop) may fire at any point of a read. These tests fire it
/// just as a read finishes, after the stream has returned the client's bytes: the read still returns them, and
/// the cancellation must not reach a later read made with another token (it used to end that read as if the
/// client had closed).
/// </summary>
public sealed class StreamReceiverTests
{
    [Fact]
    public async Task A_cancellation_arriving_as_a_read_finishes_does_not_end_the_next_read()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterRead = idle.Cancel; // the idle timer fires just as the command arrives
        transport.Send("EHLO client.example\r\n");
        var first = await LineReader.ReadLineAsync(input, 512, idle.Token);
        transport.AfterRead = null;
        Assert.Equal("EHLO client.example", Text(first));

        transport.Send("QUIT\r\n");
        var second = await LineReader.ReadLineAsync(input, 512, CancellationToken.None);

        Assert.Equal(LineStatus.Ok, second.Status);
        Assert.Equal("QUIT", Text(second));
    }

    [Fact]
    public async Task A_pipelined_command_already_read_is_returned_after_such_a_cancellation()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterRead = idle.Cancel;
        transport.Send("RSET\r\nNOOP\r\n");
        Assert.Equal("RSET", Text(await LineReader.ReadLineAsync(input, 512, idle.Token)));
        transport.AfterRead = null;

        var second = await LineReader.ReadLineAsync(input, 512, CancellationToken.None);

        Assert.Equal("NOOP", Text(second));
        Assert.Equal(1, transport.Reads);
    }

    [Fact]
    public async Task A_message_body_after_DATA_is_read_whole_after_such_a_cancellation()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterRead = idle.Cancel;
        transport.Send("DATA\r\n");
        Assert.Equal("DATA", Text(await LineReader.ReadLineAsync(input, 512, idle.Token)));
        transport.AfterRead = null;

        transport.Send("Subject: hi\r\n\r\n..dot\r\n.\r\n");
        using var body = new MemoryStream();
        var read = await DotStreamReader.ReadAsync(input, body, 1024, CancellationToken.None);

        Assert.Equal(DotStreamStatus.Complete, read.Status);
        Assert.Equal("Subject: hi\r\n\r\n.dot\r\n", Encoding.ASCII.GetString(body.ToArray()));
    }

    [Fact]
    public async Task A_read_whose_own_token_fired_as_an_earlier_read_finished_is_cancelled_not_closed()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterRead = idle.Cancel;
        transport.Send("EHLO half a li"); // the rest of the line never comes before the timer fires

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LineReader.ReadLineAsync(input, 512, idle.Token).AsTask());
    }

    [Fact]
    public async Task A_read_waiting_for_the_client_is_ended_by_its_token()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        var reading = LineReader.ReadLineAsync(input, 512, idle.Token).AsTask();
        await transport.ReadStarted;

        await idle.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    [Fact]
    public async Task CancelPendingRead_still_returns_a_cancelled_result_once()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        var reading = input.ReadAsync().AsTask();
        await transport.ReadStarted;

        input.CancelPendingRead();
        var cancelled = await reading;
        Assert.True(cancelled.IsCanceled);
        input.AdvanceTo(cancelled.Buffer.Start);

        transport.Send("NOOP\r\n");
        Assert.Equal("NOOP", Text(await LineReader.ReadLineAsync(input, 512, CancellationToken.None)));
    }

    [Fact]
    public async Task TryRead_after_such_a_cancellation_returns_what_is_buffered_as_an_ordinary_result()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterRead = idle.Cancel;
        transport.Send("RSET\r\nNOOP\r\n");
        Assert.Equal("RSET", Text(await LineReader.ReadLineAsync(input, 512, idle.Token)));

        Assert.True(input.TryRead(out var buffered));
        Assert.False(buffered.IsCanceled);
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(buffered.Buffer.ToArray()));
        input.AdvanceTo(buffered.Buffer.Start);
        Assert.Equal("NOOP", Text(await LineReader.ReadLineAsync(input, 512, CancellationToken.None)));
    }

    [Fact]
    public async Task The_end_of_the_stream_is_still_reported_as_closed()
    {
        var transport = new ClientStream();
        var input = new StreamReceiver(transport);
        transport.Send("NOOP\r\n");
        transport.Hangup();
        Assert.Equal("NOOP", Text(await LineReader.ReadLineAsync(input, 512, CancellationToken.None)));
        Assert.Equal(LineStatus.Closed, (await LineReader.ReadLineAsync(input, 512, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Over_tls_the_command_after_an_idle_cancellation_that_raced_the_previous_read_is_read()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await clientSocket.ConnectAsync(listener.LocalEndPoint!);
        using var serverSocket = await accepting;

        await using var serverTls = new SslStream(new NetworkStream(serverSocket, ownsSocket: false));
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

        // The hook sits where the connection's reader meets the TLS stream: the idle timer fires once SslStream
        // has returned the decrypted command, before the read that asked for it completes.
        var transport = new HookStream(serverTls);
        var input = new StreamReceiver(transport);
        using var idle = new CancellationTokenSource();
        transport.AfterRead = idle.Cancel;
        await clientTls.WriteAsync("a1 IDLE\r\n"u8.ToArray());
        Assert.Equal("a1 IDLE", Text(await LineReader.ReadLineAsync(input, 512, idle.Token)));
        transport.AfterRead = null;

        await clientTls.WriteAsync("DONE\r\n"u8.ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var done = await LineReader.ReadLineAsync(input, 512, timeout.Token);

        Assert.Equal(LineStatus.Ok, done.Status);
        Assert.Equal("DONE", Text(done));
        await input.CompleteAsync();
    }

    private static string Text(Line line) =>
        line.Status == LineStatus.Ok ? Encoding.ASCII.GetString(line.Bytes) : "(" + line.Status + ")";

    /// <summary>A client's side of the connection: each <see cref="Send"/> is what one stream read returns.
    /// After a read has its bytes and before it returns, <see cref="AfterRead"/> runs.</summary>
    private sealed class ClientStream : ReadOnlyStream
    {
        private readonly Channel<byte[]> _sent = Channel.CreateUnbounded<byte[]>();
        private readonly TaskCompletionSource _readStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Action? AfterRead { get; set; }
        public int Reads { get; private set; }
        public Task ReadStarted => _readStarted.Task;

        public void Send(string text) => _sent.Writer.TryWrite(Encoding.ASCII.GetBytes(text));

        public void Hangup() => _sent.Writer.TryComplete();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            _readStarted.TrySetResult();
            if (!await _sent.Reader.WaitToReadAsync(ct)) return 0;
            var chunk = await _sent.Reader.ReadAsync(ct);
            if (chunk.Length > buffer.Length) throw new InvalidOperationException("The test sends less than a read takes.");
            chunk.CopyTo(buffer);
            Reads++;
            AfterRead?.Invoke();
            return chunk.Length;
        }
    }

    /// <summary>Passes reads to a stream; after a read has returned bytes, runs <see cref="AfterRead"/>.</summary>
    private sealed class HookStream(Stream inner) : ReadOnlyStream
    {
        public Action? AfterRead { get; set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var read = await inner.ReadAsync(buffer, ct);
            if (read > 0) AfterRead?.Invoke();
            return read;
        }
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
