using System.Net;
using System.Text;
using Estafeta.Net;
using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class AuthCommandTests
{
    private const string Login = "alice@example.test";
    private const string Password = "s3cret-pässword";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Plain(string login, string password, string authzid = "") => Base64($"{authzid}\0{login}\0{password}");

    /// <summary>Submission with plaintext logins allowed, so that the exchange can be read on the wire.</summary>
    private static TestServer Submission(LoginThrottle? throttle = null, Microsoft.Extensions.Logging.ILogger<SmtpServer>? log = null, TimeProvider? clock = null) =>
        new(o => o with { Mode = SmtpMode.Submission, AllowPlaintextAuth = true }, throttle: throttle, log: log, clock: clock);

    [Fact]
    public async Task Auth_plain_with_an_initial_response_logs_in()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235"));
        await client.CommandAsync("MAIL FROM:<alice@example.test>", "250");
        Assert.Equal(new SmtpPrincipal(42, Login), Assert.Single(server.Policy.Sessions).Principal);
    }

    [Fact]
    public async Task Auth_plain_after_an_empty_challenge_logs_in()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN", "334"));
        await client.CommandAsync(Plain(Login, Password), "235 2.7.0");
    }

    [Fact]
    public async Task Auth_plain_with_the_login_as_authorization_identity_logs_in()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"auth plain {Plain(Login, Password, authzid: Login)}", "235");
    }

    [Fact]
    public async Task Auth_plain_for_another_identity_is_refused()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password, authzid: "bob@example.test")}", "535 5.7.8");
        Assert.Equal(0, server.Policy.AuthenticateCalls);
    }

    [Fact]
    public async Task Auth_login_logs_in()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        Assert.Equal("334 VXNlcm5hbWU6", await client.CommandAsync("AUTH LOGIN", "334"));
        Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync(Base64(Login), "334"));
        await client.CommandAsync(Base64(Password), "235 2.7.0");
    }

    [Fact]
    public async Task Auth_login_with_the_user_name_as_initial_response_logs_in()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH LOGIN {Base64(Login)}", "334 UGFzc3dvcmQ6");
        await client.CommandAsync(Base64(Password), "235");
    }

    [Fact]
    public async Task A_star_cancels_the_exchange_with_501()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("AUTH LOGIN", "334");
        await client.CommandAsync("*", "501 5.0.0");
        await client.CommandAsync("AUTH PLAIN", "334");
        await client.CommandAsync("*", "501 5.0.0");
        Assert.Equal(0, server.Policy.AuthenticateCalls);
    }

    [Fact]
    public async Task Bad_base64_is_rejected_with_501_5_5_2()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("AUTH PLAIN not-base64!", "501 5.5.2");
        await client.CommandAsync("AUTH LOGIN", "334");
        await client.CommandAsync("%%%%", "501 5.5.2");
        await client.CommandAsync($"AUTH PLAIN {Base64("no nul bytes")}", "501 5.5.2");
        // LOGIN keeps out the line breaks PLAIN does (RFC 4616 §2), in the user name and in the password.
        await client.CommandAsync($"AUTH LOGIN {Base64(Login + "\r\nforged")}", "501 5.5.2");
        await client.CommandAsync($"AUTH LOGIN {Base64(Login)}", "334");
        await client.CommandAsync(Base64("sec\nret"), "501 5.5.2");
        Assert.Equal(0, server.Policy.AuthenticateCalls);
    }

    [Fact]
    public async Task An_unknown_mechanism_is_rejected_with_504()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("AUTH CRAM-MD5", "504 5.5.4");
        await client.CommandAsync("AUTH", "501 5.5.4");
    }

    [Fact]
    public async Task Failed_auth_is_delayed_and_then_refused()
    {
        var clock = new ManualClock();
        var delay = TimeSpan.FromSeconds(2);
        var throttle = new LoginThrottle(clock, maxFailures: 5, firstDelay: delay, maxDelay: TimeSpan.FromSeconds(8));
        await using var server = Submission(throttle, clock: clock);
        await using var client = await server.GreetAsync();
        await client.SendAsync($"AUTH PLAIN {Plain(Login, "wrong")}\r\n");
        await clock.WaitForTimerAsync(delay);
        Assert.Equal(0, client.Pending);
        clock.Advance(delay);
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await client.ReadReplyAsync());
        await client.SendAsync($"AUTH PLAIN {Plain(Login, "wrong again")}\r\n");
        await clock.WaitForTimerAsync(2 * delay);
        clock.Advance(2 * delay);
        await client.ExpectAsync("535 5.7.8");
        await client.CommandAsync("MAIL FROM:<alice@example.test>", "530 5.7.0");
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
    }

    [Fact]
    public async Task A_blocked_address_gets_454_without_checking()
    {
        var throttle = new LoginThrottle(TimeProvider.System, maxFailures: 2, firstDelay: TimeSpan.FromMilliseconds(1), maxDelay: TimeSpan.FromMilliseconds(1));
        await using var server = Submission(throttle);
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, "wrong1")}", "535");
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, "wrong2")}", "535");
        Assert.True(throttle.IsBlocked(IPAddress.Loopback));
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "454 4.7.0");
        Assert.Equal(2, server.Policy.AuthenticateCalls);
    }

    [Fact]
    public async Task A_second_auth_is_rejected_with_503()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "503 5.5.1");
    }

    [Fact]
    public async Task Auth_in_a_transaction_is_rejected_with_503()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
        await client.CommandAsync("MAIL FROM:<alice@example.test>", "250");
        await client.CommandAsync("AUTH LOGIN", "503 5.5.1");
    }

    [Fact]
    public async Task Auth_over_plaintext_requires_encryption()
    {
        await using var server = new TestServer(TestServer.Submission);
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "538 5.7.11");
        Assert.Equal(0, server.Policy.AuthenticateCalls);
    }

    [Fact]
    public async Task Auth_after_starttls_logs_in()
    {
        await using var server = new TestServer(TestServer.Submission);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("STARTTLS", "220");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
        await client.CommandAsync("MAIL FROM:<alice@example.test>", "250");
    }

    [Fact]
    public async Task Starttls_forgets_a_login_made_before_it()
    {
        await using var server = new TestServer(o => TestServer.Submission(o) with { AllowPlaintextAuth = true });
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
        await client.CommandAsync("STARTTLS", "220");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync("MAIL FROM:<alice@example.test>", "530 5.7.0");
    }

    [Fact]
    public async Task Auth_in_mx_mode_is_not_implemented()
    {
        await using var server = new TestServer(o => o with { AllowPlaintextAuth = true });
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "502 5.5.1");
        Assert.Equal(0, server.Policy.AuthenticateCalls);
    }

    [Fact]
    public async Task Auth_before_ehlo_is_rejected_with_503()
    {
        await using var server = Submission();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "503 5.5.1");
    }

    [Fact]
    public async Task The_mail_auth_parameter_is_kept_for_logged_in_clients()
    {
        await using var server = Submission();
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
        await client.CommandAsync("MAIL FROM:<alice@example.test> AUTH=alice+40example.test", "250");
        Assert.Equal(Login, Assert.Single(server.Policy.Senders).Auth);
    }

    [Fact]
    public async Task Auth_secrets_never_reach_the_log()
    {
        var log = new CapturingLogger<SmtpServer>();
        await using var server = Submission(log: log);
        await using var client = await server.GreetAsync();
        await client.CommandAsync($"AUTH PLAIN {Plain(Login, Password)}", "235");
        await client.CommandAsync("RSET", "250");
        await client.CommandAsync("QUIT", "221");
        await using var second = await server.GreetAsync();
        await second.CommandAsync("AUTH LOGIN", "334");
        await second.CommandAsync(Base64(Login), "334");
        await second.CommandAsync(Base64(Password), "235");
        await second.CommandAsync("QUIT", "221");
        Assert.True(await second.IsClosedAsync());
        await server.Listener.StopAsync(TimeSpan.FromSeconds(10));

        var all = log.All;
        Assert.Contains("C: AUTH PLAIN ***", all, StringComparison.Ordinal);
        Assert.Contains("C: RSET", all, StringComparison.Ordinal);
        Assert.Contains("S: 235 2.7.0", all, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Plain(Login, Password), all, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64(Password), all, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64(Login), all, StringComparison.Ordinal);
    }
}
