using System.Net;
using System.Text;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>
/// The MTA's SMTP client (<see cref="SmtpDelivery"/>) against hostile or broken receiving servers over a real
/// socket: every reply is taken from real servers' and then, now and then, broken (<see cref="HostileReplies"/>).
/// Each case opens a session, sends up to three messages over it and says QUIT, then checks what the client
/// reported against what the server sent, read as <see cref="ReplyStream"/> reads it:
/// <list type="bullet">
/// <item>ConnectAsync gives a session or a <see cref="DeliveryConnectException"/> with a 4xx or 5xx answer;
/// SendAsync and DisposeAsync throw nothing; every recipient gets a 2xx, 4xx or 5xx answer.</item>
/// <item>A session is had only after a 220 greeting.</item>
/// <item>A recipient is reported delivered only when MAIL got 250, its RCPT 250 or 251, DATA 354 and the end of
/// the data a 2xx; and every recipient so accepted is reported delivered (nothing accepted is lost).</item>
/// <item>The body is sent only after a 354 to DATA.</item>
/// <item>After a reply the client could not read (or did not get), it sends nothing more on that connection but
/// the rest of a pipelined MAIL, RCPT... DATA it had already sent.</item>
/// <item>Answer texts are bounded and hold no control character; a DSN made of them is well formed.</item>
/// </list>
/// Hangs show as the test never ending; nothing here measures time.
/// </summary>
public sealed class SmtpClientFuzzTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sessions_with_hostile_servers_end_in_outcomes_that_match_what_the_server_said()
    {
        await using var server = HostileSmtpServer.Start();
        await Fuzzing.RunAsync(5321, 250, r => Case.From(r).ToString(), random => CaseAsync(server, random));
    }

    private sealed record Case(double Hostility, int Messages, bool Auth, TlsRequirement Tls, IReadOnlyList<(Envelope Envelope, OutgoingMessage Message)> Mail)
    {
        public static Case From(Random random)
        {
            var hostility = random.Pick([0.02, 0.1, 0.25, 0.5]);
            var messages = random.Next(1, 4);
            var auth = random.Chance(0.15);
            var tls = random.Chance(0.1) ? TlsRequirement.Encrypt : TlsRequirement.Opportunistic;
            var mail = new List<(Envelope, OutgoingMessage)>();
            for (var m = 0; m < messages; m++)
            {
                var recipients = new List<EnvelopeRecipient>();
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    var local = random.Chance(0.05) ? $"m{m}r{k}ñ" : $"m{m}r{k}";
                    recipients.Add(new EnvelopeRecipient(m * 10 + k, $"{local}@destino.test", random.Chance(0.3) ? "SUCCESS,FAILURE" : null,
                        random.Chance(0.2) ? $"rfc822;{local}@antes.test" : null));
                }
                var body = new StringBuilder();
                for (var l = random.Next(1, 4); l > 0; l--) body.Append(HostileSmtpServer.BodyMark).Append($" message {m} line {l}\r\n");
                mail.Add((new Envelope("ana@origen.test", recipients, random.Chance(0.2) ? "HDRS" : null, random.Chance(0.2) ? $"env{m}" : null),
                    new OutgoingMessage(Encoding.UTF8.GetBytes(body.ToString()), $"<m{m}@origen.test>", random.Chance(0.3))));
            }
            return new Case(hostility, messages, auth, tls, mail);
        }

        public override string ToString() => $"hostility {Hostility}, {Messages} message(s), auth {Auth}, TLS {Tls}";
    }

    /// <summary>What the client said: a refusal at connection, or each message's result; and what it threw.</summary>
    private sealed class Outcome
    {
        public SmtpAnswer? Refused;
        public bool Connected;
        public readonly List<(Envelope Envelope, SendResult Result)> Results = [];
        public readonly List<string> Problems = [];
    }

    private static async Task CaseAsync(HostileSmtpServer server, Random random)
    {
        var @case = Case.From(random);
        var replies = new HostileReplies(random, @case.Hostility);
        var serving = server.ServeAsync(replies.Next);
        var outcome = new Outcome();
        try
        {
            await ClientAsync(server.EndPoint, @case, outcome);
        }
        catch (Exception e)
        {
            outcome.Problems.Add($"the client threw {e}");
        }
        var session = await serving;
        Check(outcome, session);
        if (outcome.Problems.Count > 0)
            Assert.Fail(string.Join("\n", outcome.Problems) + "\n--- session:\n" + session.Transcript);
    }

    private static async Task ClientAsync(IPEndPoint endPoint, Case @case, Outcome outcome)
    {
        var host = new DeliveryHost("mx.destino.test", 10, endPoint.Address, endPoint.Port);
        SmtpDelivery connection;
        try
        {
            connection = await SmtpDelivery.ConnectAsync(host, @case.Tls, "client.example.test", @case.Auth ? new NetworkCredential("relay", "s3cret") : null,
                Timeout, Timeout, CancellationToken.None);
        }
        catch (DeliveryConnectException e)
        {
            outcome.Refused = e.Answer;
            return;
        }
        outcome.Connected = true;
        await using (connection)
        {
            foreach (var (envelope, message) in @case.Mail)
            {
                var result = await connection.SendAsync(envelope, message, null, CancellationToken.None);
                outcome.Results.Add((envelope, result));
                if (!result.ConnectionUsable) break;
            }
        }
    }

    private static void Check(Outcome outcome, HostileSession session)
    {
        var problems = outcome.Problems;
        var replies = session.Replies;
        var commands = session.Commands;
        // Beyond a line whose fate depends on reads, what the client made of the rest cannot be told.
        bool Known(int reply) => reply < replies.Count || replies.End != ReplyStream.Kind.Unknown;
        string Verb(int command) => commands[command].Split(' ', 2)[0].ToUpperInvariant();
        int Last(string verb, int before) => Enumerable.Range(0, Math.Max(0, before)).LastOrDefault(i => Verb(i) == verb, -1);
        int First(string verb, int after) => Enumerable.Range(after + 1, Math.Max(0, commands.Count - after - 1)).FirstOrDefault(i => Verb(i) == verb, -1);

        if (outcome.Refused is { } refused)
        {
            if (refused.Code is < 400 or >= 600) problems.Add($"refused at connection with {refused}");
            CheckText(refused, problems);
        }
        if (outcome.Connected && !replies[0].Is(220) && Known(0)) problems.Add($"a session after the greeting {replies[0]}");

        var answers = new Dictionary<string, SmtpAnswer>();
        foreach (var (envelope, result) in outcome.Results)
        {
            foreach (var r in envelope.Recipients)
            {
                if (!result.Answers.TryGetValue(r.Id, out var answer))
                {
                    problems.Add($"no answer for <{r.Address}>");
                    continue;
                }
                answers[r.Address] = answer;
                if (answer.Code is < 200 or >= 600 || answer.Code / 100 == 3) problems.Add($"<{r.Address}>: {answer} is no outcome");
                CheckText(answer, problems);
                if (!answer.IsSuccess) CheckDsn(r, answer, problems);
                if (!answer.IsSuccess) continue;

                var rcpt = commands.FindIndex(c => c.StartsWith($"RCPT TO:<{r.Address}>", StringComparison.Ordinal));
                var mail = Last("MAIL", rcpt);
                var data = rcpt < 0 ? -1 : First("DATA", rcpt);
                var end = data < 0 ? -1 : commands.FindIndex(data + 1, c => c == ".");
                if (rcpt < 0 || mail < 0 || data < 0 || end < 0)
                {
                    problems.Add($"<{r.Address}> reported delivered ({answer}) though MAIL, RCPT, DATA or the end of data was never sent");
                    continue;
                }
                if (!Known(end + 1)) continue;
                if (!replies[mail + 1].Is(250) || !(replies[rcpt + 1].Is(250) || replies[rcpt + 1].Is(251)) || !replies[data + 1].Is(354) || !replies[end + 1].IsSuccess)
                    problems.Add($"<{r.Address}> reported delivered ({answer}) after MAIL {replies[mail + 1]}, RCPT {replies[rcpt + 1]}, DATA {replies[data + 1]}, end {replies[end + 1]}");
                if (!session.BodyLines.Any(b => b > data && b <= end)) problems.Add($"<{r.Address}> reported delivered though no body was sent");
            }
        }

        // Nothing accepted is lost: a 2xx to the end of data delivers every recipient the transaction accepted.
        for (var end = 0; end < commands.Count; end++)
        {
            if (commands[end] != "." || !Known(end + 1) || !replies[end + 1].IsSuccess) continue;
            var data = Last("DATA", end);
            if (data < 0 || !replies[data + 1].Is(354))
            {
                problems.Add($"the end of data (command {end}) sent without a 354 to DATA");
                continue;
            }
            var mail = Last("MAIL", data);
            if (mail < 0 || !replies[mail + 1].Is(250)) continue;
            for (var rcpt = mail + 1; rcpt < data; rcpt++)
            {
                if (Verb(rcpt) != "RCPT" || !(replies[rcpt + 1].Is(250) || replies[rcpt + 1].Is(251))) continue;
                var address = commands[rcpt].Split('<', '>')[1];
                if (!answers.TryGetValue(address, out var answer) || !answer.IsSuccess)
                    problems.Add($"<{address}> accepted (RCPT {replies[rcpt + 1]}, end of data {replies[end + 1]}) but reported {answer?.ToString() ?? "nothing"}");
            }
        }

        // The body goes only after a 354 to DATA.
        foreach (var before in session.BodyLines.Distinct())
        {
            var data = before - 1;
            if (data < 0 || Verb(data) != "DATA" || Known(data + 1) && !replies[data + 1].Is(354))
                problems.Add($"body sent after {(data < 0 ? "no command" : commands[data])} answered {(data < 0 ? "-" : replies[data + 1].ToString())}");
        }

        // Nothing more after a reply the client could not read, but the rest of a pipelined group.
        if (replies.End != ReplyStream.Kind.Unknown)
        {
            var bad = replies.Count;
            var after = bad - 1;
            if (after < commands.Count)
            {
                var group = after >= 0 && Verb(after) is "MAIL" or "RCPT";
                for (var k = after + 1; k < commands.Count; k++)
                {
                    if (group && Verb(k) is "RCPT" or "DATA")
                    {
                        group = Verb(k) == "RCPT";
                        continue;
                    }
                    problems.Add($"{Fuzzing.Show(commands[k])} sent after reply {bad} was {replies.End}");
                    break;
                }
                if (session.BodyLines.Any(b => b > after)) problems.Add($"body sent after reply {bad} was {replies.End}");
            }
        }
    }

    /// <summary>Answer texts go to logs, the database and DSNs: bounded, on one line, no control character.</summary>
    private static void CheckText(SmtpAnswer answer, List<string> problems)
    {
        var text = answer.ToString();
        if (answer.Text.Length > SmtpAnswer.MaxText) problems.Add($"an answer text of {answer.Text.Length} characters");
        if (text.Any(char.IsControl)) problems.Add($"a control character in the answer {Fuzzing.Show(text)}");
    }

    private static void CheckDsn(EnvelopeRecipient r, SmtpAnswer answer, List<string> problems)
    {
        var original = Encoding.ASCII.GetBytes("From: <ana@origen.test>\r\nTo: <bea@destino.test>\r\nSubject: fuzz\r\n\r\nHola.\r\n");
        var recipient = new DsnRecipient(r.Address, r.Orcpt, answer.IsPermanent ? "failed" : "delayed", answer.Status, "mx.destino.test", answer.ToString(), Now);
        byte[] dsn;
        try
        {
            dsn = DsnBuilder.Build("mta.origen.test", "ana@origen.test", null, Now, Now, [recipient], new MemoryStream(original), null, original.Length);
        }
        catch (Exception e)
        {
            problems.Add($"no DSN for {Fuzzing.Show(answer.ToString())}: {e}");
            return;
        }
        for (var i = 0; i < dsn.Length; i++)
        {
            if (dsn[i] == 0 || dsn[i] == '\n' && (i == 0 || dsn[i - 1] != '\r') || dsn[i] == '\r' && (i + 1 == dsn.Length || dsn[i + 1] != '\n'))
            {
                problems.Add($"a NUL or bare line end in the DSN for {Fuzzing.Show(answer.ToString())}");
                return;
            }
        }
    }
}
