using System.Text;
using MimeKit;

namespace Estafeta.Mail.Tests.Fuzz;

/// <summary>Bounces and complaint reports the way real mail systems send them (Postfix, Exim, qmail, Gmail, Microsoft,
/// Yahoo), the seeds of the feedback fuzz tests.</summary>
internal static class FeedbackSamples
{
    public const string Postfix = """
        Return-Path: <>
        Received: by mx.example.net (Postfix) id 4ZxYk10abc; Mon, 3 Mar 2025 10:00:01 +0100 (CET)
        Date: Mon, 3 Mar 2025 10:00:01 +0100 (CET)
        From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounce+1-2-3-abc@origen.test
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="4ZxYk10abc.1741000801/mx.example.net"
        Message-Id: <20250303090001.4ZxYk10abc@mx.example.net>

        This is a MIME-encapsulated message.

        --4ZxYk10abc.1741000801/mx.example.net
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx.example.net.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        <ana@example.net>: host mail.example.net[192.0.2.25] said: 550 5.1.1
            <ana@example.net>: Recipient address rejected: User unknown in virtual
            mailbox table (in reply to RCPT TO command)

        --4ZxYk10abc.1741000801/mx.example.net
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net
        X-Postfix-Queue-ID: 4ZxYk10abc
        X-Postfix-Sender: rfc822; bounce+1-2-3-abc@origen.test
        Arrival-Date: Mon,  3 Mar 2025 10:00:00 +0100 (CET)

        Final-Recipient: rfc822; ana@example.net
        Original-Recipient: rfc822;ana@example.net
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mail.example.net
        Diagnostic-Code: smtp; 550 5.1.1 <ana@example.net>: Recipient address rejected:
            User unknown in virtual mailbox table

        --4ZxYk10abc.1741000801/mx.example.net
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Return-Path: <bounce+1-2-3-abc@origen.test>
        From: Noticias <noticias@origen.test>
        To: ana@example.net
        Subject: Oferta
        Message-ID: <oferta-1@origen.test>

        --4ZxYk10abc.1741000801/mx.example.net--
        """;

    public const string Gmail = """
        Delivered-To: bounce+1-2-3-abc@origen.test
        Return-Path: <>
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: bounce+1-2-3-abc@origen.test
        Auto-Submitted: auto-replied
        Subject: Delivery Status Notification (Failure)
        References: <oferta-1@origen.test>
        In-Reply-To: <oferta-1@origen.test>
        X-Failed-Recipients: bea.nobody@gmail.com
        Message-ID: <64f1c2a0.050a0220.1d2e.abcd.GMR@mx.google.com>
        Date: Mon, 03 Mar 2025 01:00:02 -0800 (PST)
        MIME-Version: 1.0
        Content-Type: multipart/report; boundary="000000000000f1e2d3c4b5a6"; report-type=delivery-status

        --000000000000f1e2d3c4b5a6
        Content-Type: multipart/related; boundary="000000000000f1e2d3c4b5a7"

        --000000000000f1e2d3c4b5a7
        Content-Type: multipart/alternative; boundary="000000000000f1e2d3c4b5a8"

        --000000000000f1e2d3c4b5a8
        Content-Type: text/plain; charset="UTF-8"


        ** Address not found **

        Your message wasn't delivered to bea.nobody@gmail.com because the address couldn't be found, or is unable to receive mail.

        Learn more here: https://support.google.com/mail/?p=NoSuchUser

        The response was:

        The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser

        --000000000000f1e2d3c4b5a8
        Content-Type: text/html; charset="UTF-8"
        Content-Transfer-Encoding: quoted-printable

        <html><body><p>Your message wasn&#39;t delivered to <a style=3D"color:#212121" h=
        ref=3D"mailto:bea.nobody@gmail.com">bea.nobody@gmail.com</a> because the addres=
        s couldn&#39;t be found.</p></body></html>

        --000000000000f1e2d3c4b5a8--
        --000000000000f1e2d3c4b5a7--
        --000000000000f1e2d3c4b5a6
        Content-Type: message/delivery-status

        Reporting-MTA: dns; googlemail.com
        Received-From-MTA: dns; bounce+1-2-3-abc@origen.test
        Arrival-Date: Mon, 03 Mar 2025 01:00:01 -0800 (PST)
        X-Original-Message-ID: <oferta-1@origen.test>

        Final-Recipient: rfc822; bea.nobody@gmail.com
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; The email account that you tried to reach does not exist. Please try
         double-checking the recipient's email address for typos or
         unnecessary spaces. For more information, go to
         https://support.google.com/mail/?p=NoSuchUser d2e1a3b4c5d6e7f8.1 - gsmtp
        Last-Attempt-Date: Mon, 03 Mar 2025 01:00:02 -0800 (PST)

        --000000000000f1e2d3c4b5a6
        Content-Type: message/rfc822

        Return-Path: <bounce+1-2-3-abc@origen.test>
        From: Noticias <noticias@origen.test>
        To: bea.nobody@gmail.com
        Subject: Oferta
        Message-ID: <oferta-1@origen.test>

        Hola.

        --000000000000f1e2d3c4b5a6--
        """;

    public const string Microsoft = """
        From: postmaster@outlook.com
        To: bounce+1-2-3-abc@origen.test
        Date: Mon, 3 Mar 2025 09:00:03 +0000
        Subject: Undeliverable: Oferta
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="ad2f5a42-7b3e-4c51-9d0b-0a1b2c3d4e5f"
        X-MS-Exchange-Message-Is-Ndr:
        Content-Language: en-US
        Message-ID: <a1b2c3d4-e5f6-7890-abcd-ef0123456789@DM6PR01MB1234.namprd01.prod.outlook.com>
        In-Reply-To: <oferta-1@origen.test>
        Auto-Submitted: auto-replied
        MIME-Version: 1.0

        --ad2f5a42-7b3e-4c51-9d0b-0a1b2c3d4e5f
        Content-Type: multipart/alternative; differences=Content-Type;
        	boundary="b4c9e1d2-0f3a-4b5c-8d7e-6f5a4b3c2d1e"

        --b4c9e1d2-0f3a-4b5c-8d7e-6f5a4b3c2d1e
        Content-Type: text/plain; charset="us-ascii"
        Content-Transfer-Encoding: quoted-printable

        Your message to cris@contoso.example couldn't be delivered.
        cris wasn't found at contoso.example.
        origen Office 365 cris
        Action Required Recipient
        Unknown To address
        Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipien=
        t not found by SMTP address lookup'

        --b4c9e1d2-0f3a-4b5c-8d7e-6f5a4b3c2d1e
        Content-Type: text/html; charset="us-ascii"
        Content-Transfer-Encoding: quoted-printable

        <html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
        =3Dus-ascii"></head><body><p>Your message to <a href=3D"mailto:cris@contoso.=
        example">cris@contoso.example</a> couldn't be delivered.</p></body></html>

        --b4c9e1d2-0f3a-4b5c-8d7e-6f5a4b3c2d1e--

        --ad2f5a42-7b3e-4c51-9d0b-0a1b2c3d4e5f
        Content-Type: message/delivery-status

        Reporting-MTA: dns;DM6PR01MB1234.namprd01.prod.outlook.com
        Received-From-MTA: dns;mail.origen.test
        Arrival-Date: Mon, 3 Mar 2025 09:00:02 +0000

        Final-Recipient: rfc822;cris@contoso.example
        Action: failed
        Status: 5.1.10
        Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

        Final-Recipient: rfc822;dario@contoso.example
        Action: failed
        Status: 5.2.2
        Diagnostic-Code: smtp;554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException

        --ad2f5a42-7b3e-4c51-9d0b-0a1b2c3d4e5f
        Content-Type: text/rfc822-headers

        Return-Path: bounce+1-2-3-abc@origen.test
        From: Noticias <noticias@origen.test>
        To: <cris@contoso.example>, <dario@contoso.example>
        Subject: Oferta
        Message-ID: <oferta-1@origen.test>

        --ad2f5a42-7b3e-4c51-9d0b-0a1b2c3d4e5f--
        """;

    public const string Delayed = """
        From: MAILER-DAEMON@relay.example.org (Mail Delivery System)
        To: bounce+1-2-3-abc@origen.test
        Subject: Delayed Mail (still being retried)
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="DLY"

        --DLY
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host relay.example.org.
        Your message could not be delivered for 4.0 hours. It will be retried until it is 5.0 days old.

        --DLY
        Content-Type: message/delivery-status
        Content-Transfer-Encoding: base64

        UmVwb3J0aW5nLU1UQTogZG5zOyByZWxheS5leGFtcGxlLm9yZw0KDQpGaW5hbC1SZWNpcGllbnQ6IHJmYzgyMjsgZWxlbmFAZXhhbXBsZS5vcmcNCkFjdGlvbjogZGVsYXllZA0KU3RhdHVzOiA0LjQuMQ0KRGlhZ25vc3RpYy1Db2RlOiBYLVBvc3RmaXg7IGNvbm5lY3QgdG8gbXguZXhhbXBsZS5vcmdbMTkyLjAuMi45XToyNTogQ29ubmVjdGlvbiB0aW1lZCBvdXQNCldpbGwtUmV0cnktVW50aWw6IEZyaSwgIDcgTWFyIDIwMjUgMTA6MDA6MDAgKzAxMDAgKENFVCkNCg==

        --DLY--
        """;

    public const string Exim = """
        From: Mail Delivery System <Mailer-Daemon@mail.example.org>
        To: bounce+1-2-3-abc@origen.test
        Subject: Mail delivery failed: returning message to sender
        X-Failed-Recipients: fede@example.org
        Auto-Submitted: auto-replied

        This message was created automatically by mail delivery software.

        A message that you sent could not be delivered to one or more of its
        recipients. This is a permanent error. The following address(es) failed:

          fede@example.org
            host mx.example.org [192.0.2.7]
            SMTP error from remote mail server after RCPT TO:<fede@example.org>:
            550 5.2.2 fede@example.org: mailbox is full

        ------ This is a copy of the message, including all the headers. ------

        Return-path: <bounce+1-2-3-abc@origen.test>
        From: Noticias <noticias@origen.test>
        To: fede@example.org
        Subject: Oferta
        """;

    public const string Qmail = """
        From: MAILER-DAEMON@qmail.example.com
        To: bounce+1-2-3-abc@origen.test
        Subject: failure notice

        Hi. This is the qmail-send program at qmail.example.com.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <gala@example.com>:
        192.0.2.9 does not like recipient.
        Remote host said: 550 sorry, no mailbox here by that name
        Giving up on 192.0.2.9.
        """;

    public const string Yahoo = """
        From: Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>
        To: fbl@origen.test
        Subject: FW: Oferta
        Date: Mon, 3 Mar 2025 11:00:00 +0000
        Message-ID: <1741000000.12345@arf.mail.yahoo.com>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="----=_Part_1_2.3"

        ------=_Part_1_2.3
        Content-Type: text/plain; charset=us-ascii
        Content-Transfer-Encoding: 7bit

        This is an email abuse report for an email message from origen.test on Mon, 3 Mar 2025 10:59:00 +0000

        ------=_Part_1_2.3
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Yahoo!-Mail-Feedback/2.0
        Version: 0.1
        Original-Mail-From: <bounce+1-2-3-abc@origen.test>
        Original-Rcpt-To: <hugo@yahoo.com>
        Received-Date: Mon, 3 Mar 2025 10:59:00 +0000
        Reported-Domain: origen.test
        Authentication-Results: mta1001.mail.ir2.yahoo.com  from=origen.test; domainkeys=neutral (no sig);  from=origen.test; dkim=pass (ok)

        ------=_Part_1_2.3
        Content-Type: message/rfc822

        Return-Path: <bounce+1-2-3-abc@origen.test>
        From: Noticias <noticias@origen.test>
        To: hugo@yahoo.com
        Subject: Oferta
        Message-ID: <oferta-1@origen.test>
        Date: Mon, 3 Mar 2025 10:58:00 +0000

        Hola.

        ------=_Part_1_2.3--
        """;

    public const string MicrosoftJmrp = """
        From: staff@hotmail.com
        To: arf@origen.test
        Subject: complaint about message from 192.0.2.30
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type="feedback-report";
        	boundary="--boundary-LibPST-iamunique-1234_-_-"

        ----boundary-LibPST-iamunique-1234_-_-
        Content-Type: text/plain; charset="US-ASCII"
        Content-Transfer-Encoding: 7bit

        This is an email abuse report for an email message received from IP 192.0.2.30 on Mon, 03 Mar 2025 11:00:00 -0800.
        For more information about this format please see http://www.mipassoc.org/arf/.

        ----boundary-LibPST-iamunique-1234_-_-
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Hotmail FBL
        Version: 0.1
        Received-Date: Mon, 03 Mar 2025 11:00:00 -0800
        Source-IP: 192.0.2.30
        Original-Rcpt-To: ines@hotmail.com

        ----boundary-LibPST-iamunique-1234_-_-
        Content-Type: message/rfc822
        Content-Disposition: inline

        X-HmXmrOriginalRecipient: <ines@hotmail.com>
        Return-Path: bounce+1-2-3-abc@origen.test
        From: "Noticias" <noticias@origen.test>
        To: <ines@hotmail.com>
        Subject: Oferta
        Message-ID: <oferta-2@origen.test>

        Hola.

        ----boundary-LibPST-iamunique-1234_-_-
        """;

    public static readonly string[] Bounces = [Postfix, Gmail, Microsoft, Delayed, Exim, Qmail];
    public static readonly string[] Complaints = [Yahoo, MicrosoftJmrp];

    /// <summary>The recipients each standard seed names, in order (null for the plain-text ones).</summary>
    public static readonly Dictionary<string, string[]> DsnRecipients = new()
    {
        [Postfix] = ["ana@example.net"],
        [Gmail] = ["bea.nobody@gmail.com"],
        [Microsoft] = ["cris@contoso.example", "dario@contoso.example"],
        [Delayed] = ["elena@example.org"],
    };

    /// <summary>The sample as it arrives: CRLF line ends.</summary>
    public static string Wire(string text) => text.ReplaceLineEndings("\r\n") + "\r\n";

    public static MimeMessage? Load(byte[] bytes)
    {
        try { return MimeMessage.Load(new MemoryStream(bytes)); }
        catch (FormatException) { return null; }
    }

    public static MimeMessage? Load(string text) => Load(Encoding.UTF8.GetBytes(text));
}
