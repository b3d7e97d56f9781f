#!/usr/bin/env python3
"""Writes src/test/resources/email/automated/*.eml: auto-replies, list mail and bounces (CHANNEL_FORMATS.md C4, C5).

The fixtures are written here, not by hand, so that every line ends in CRLF as on the wire. Run from the repository
root: python3 src/test/scripts/write_automated_email_fixtures.py
"""
import pathlib

OUT = pathlib.Path("src/test/resources/email/automated")
ACK_ID = "<C-20261123-000417.ack.1a2b3c4d@complaint-hub.example.com>"
ACK_SUBJECT = "=?UTF-8?B?W0MtMjAyNjExMjMtMDAwNDE3XSDmiJHku6zlt7LmlLbliLDmgqjnmoTmipXor4k=?="

# The hub's acknowledgement as it went out (outbound/EmailTranslator), embedded in the bounces below.
ACK_HEADERS = f"""Date: Mon, 23 Nov 2026 10:11:00 +0800
From: Customer Service <service@example.com>
To: wang.fang@example.cn
Subject: {ACK_SUBJECT}
Message-ID: {ACK_ID}
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Precedence: auto_reply
X-Loop: complaint-hub.example.com
X-Complaint-Id: C-20261123-000417
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
"""

FIXTURES = {
    # RFC 3834 auto-reply to our acknowledgement (C4 sample email_autoreply_oof.eml)
    "autoreply-oof.eml": f"""Return-Path: <>
Date: Mon, 23 Nov 2026 10:11:05 +0800
From: Wang Fang <wang.fang@example.cn>
To: Customer Service <service@example.com>
Subject: Out of Office: [C-20261123-000417]
Message-ID: <oof-20261123-7781@mail.example.cn>
In-Reply-To: {ACK_ID}
References: {ACK_ID}
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

I am on leave until 1 December and will answer your mail when I am back.
""",
    # a shop system's notification: RFC 3834 auto-generated, odd case and a comment
    "auto-submitted-auto-generated.eml": """Return-Path: <noreply@orders.shop.example>
Date: Mon, 23 Nov 2026 09:00:00 +0800
From: Shop Orders <noreply@orders.shop.example>
To: complaints@example.com
Subject: Order 4411 has shipped
Message-ID: <order-4411-shipped@orders.shop.example>
AUTO-SUBMITTED:   Auto-Generated  (order system)
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Your order 4411 has shipped.
""",
    # a customer complaint that says Auto-Submitted: no (odd case, whitespace): not automated
    "auto-submitted-no.eml": """Return-Path: <li.lei@example.org>
Date: Mon, 23 Nov 2026 09:30:00 +0800
From: Li Lei <li.lei@example.org>
To: complaints@example.com
Subject: Refund for order 4412 not received
Message-ID: <20261123093000.4412@example.org>
auto-submitted:	 NO 
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

I returned the washing machine on 2 November and have not had the refund.
""",
    # Exchange out-of-office: no Auto-Submitted, X-Autoreply and X-Auto-Response-Suppress (MS-OXCMAIL)
    "outlook-oof.eml": f"""Return-Path: <>
Date: Mon, 23 Nov 2026 10:11:07 +0800
From: Zhang Wei <zhang.wei@corp.example>
To: Customer Service <service@example.com>
Subject: Automatic reply: [C-20261123-000417]
Thread-Topic: [C-20261123-000417]
Thread-Index: AQHdAbCdEfGhIjKlMnOpQrStUvWxYz==
Message-ID: <AM0PR01MB1234.oof@AM0PR01MB1234.eurprd01.prod.outlook.example>
In-Reply-To: {ACK_ID}
x-auto-response-suppress: All
X-AutoReply: YES
X-MS-Exchange-Inbox-Rules-Loop: zhang.wei@corp.example
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

I am out of the office.
""",
    # a hosting panel's vacation responder: X-Autorespond with free text
    "x-autorespond.eml": """Return-Path: <chen.jing@host.example>
Date: Mon, 23 Nov 2026 10:12:00 +0800
From: Chen Jing <chen.jing@host.example>
To: service@example.com
Subject: Re: [C-20261123-000418]
Message-ID: <vacation.8842@host.example>
X-Autorespond: Out of office until 1 December
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Thank you for your message. I am away.
""",
    # C4 sample email_list_bulk.eml: bulk, list headers and Auto-Submitted: auto-generated
    "list-bulk.eml": """Return-Path: <bounces+news=example.com@lists.shop.example>
Date: Mon, 23 Nov 2026 08:00:00 +0800
From: Shop News <news@lists.shop.example>
To: complaints@example.com
Subject: Black Friday: 30% off washing machines
Message-ID: <news-20261123@lists.shop.example>
Precedence: bulk
List-Id: Shop News <news.lists.shop.example>
List-Unsubscribe: <https://lists.shop.example/u/8f3a>, <mailto:unsubscribe@lists.shop.example?subject=complaints%40example.com>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Black Friday offers.
""",
    "precedence-bulk.eml": """Return-Path: <mailer@promo.example>
Date: Mon, 23 Nov 2026 08:01:00 +0800
From: Promo <mailer@promo.example>
To: complaints@example.com
Subject: Your weekly deals
Message-ID: <deals-47@promo.example>
Precedence:  BULK
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Deals of the week.
""",
    "precedence-junk.eml": """Return-Path: <x@junk.example>
Date: Mon, 23 Nov 2026 08:02:00 +0800
From: Prize Office <x@junk.example>
To: complaints@example.com
Subject: You have won
Message-ID: <won-1@junk.example>
precedence: junk
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Claim your prize.
""",
    "precedence-list.eml": """Return-Path: <owner-retail@lists.example.net>
Date: Mon, 23 Nov 2026 08:03:00 +0800
From: Member <member@example.net>
To: retail@lists.example.net
Subject: Re: appliance warranties
Message-ID: <post-991@example.net>
Precedence: List
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Posting to the list.
""",
    # another company's ticket system acknowledging mail it got from us
    "precedence-auto-reply.eml": """Return-Path: <support@vendor.example>
Date: Mon, 23 Nov 2026 10:13:00 +0800
From: Vendor Support <support@vendor.example>
To: service@example.com
Subject: [Vendor #88123] We received your request
Message-ID: <ticket-88123-ack@vendor.example>
Precedence: auto_reply
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

We received your request.
""",
    # mailing-list post (Mailman style without Precedence)
    "list-id.eml": """Return-Path: <retail-bounces@lists.example.net>
Date: Mon, 23 Nov 2026 08:04:00 +0800
From: Member <member@example.net>
To: retail@lists.example.net
Subject: [retail] delivery times
Message-ID: <post-992@example.net>
List-Id: "Retail talk" <retail.lists.example.net>
List-Post: <mailto:retail@lists.example.net>
List-Archive: <https://lists.example.net/archive/retail>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Anyone else waiting for a delivery?
""",
    # a marketing mail with only the one-click unsubscribe headers (RFC 8058)
    "list-unsubscribe.eml": """Return-Path: <b-7f1@esp.example>
Date: Mon, 23 Nov 2026 08:05:00 +0800
From: Shop <hello@shop.example>
To: complaints@example.com
Subject: We miss you
Message-ID: <esp-7f1@esp.example>
list-unsubscribe: <https://esp.example/u/7f1>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Come back.
""",
    # RFC 3464 DSN of our acknowledgement, headers only (C5 sample email_dsn_bounce.eml); Postfix also marks it
    # Auto-Submitted: auto-replied, which must not hide that it is a bounce
    "dsn-bounce-of-ack.eml": f"""Return-Path: <>
Date: Mon, 23 Nov 2026 10:11:03 +0800 (CST)
From: MAILER-DAEMON@mx.example.com (Mail Delivery System)
To: service@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <20261123021103.5A1B2C3D4E@mx.example.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="DSN-4411"

This is a MIME-encapsulated message.

--DSN-4411
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<wang.fang@example.cn>: host mx.example.cn said: 550 5.1.1 User unknown

--DSN-4411
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
X-Postfix-Queue-ID: 5A1B2C3D4E
Arrival-Date: Mon, 23 Nov 2026 10:11:00 +0800 (CST)

Final-Recipient: rfc822; wang.fang@example.cn
Original-Recipient: rfc822;wang.fang@example.cn
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.cn
Diagnostic-Code: smtp; 550 5.1.1 <wang.fang@example.cn>: Recipient address
    rejected: User unknown

--DSN-4411
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{ACK_HEADERS}
--DSN-4411--
""",
    # DSN with the whole original (message/rfc822); the recipient was forwarded, so Original-Recipient (the address
    # we sent to, xtext-encoded) differs from Final-Recipient; odd case in field names and values
    "dsn-message-rfc822.eml": f"""Return-Path: <>
Date: Mon, 23 Nov 2026 10:20:00 +0800
From: Mail Delivery Subsystem <mailer-daemon@relay.example.net>
To: service@example.com
Subject: Delivery Status Notification (Failure)
Message-ID: <dsn-5511@relay.example.net>
MIME-Version: 1.0
Content-Type: Multipart/Report; Report-Type="Delivery-Status"; boundary="==rep 77=="

--==rep 77==
Content-Type: text/plain; charset=us-ascii

Delivery to the following recipient failed permanently.

--==rep 77==
Content-Type: message/delivery-status

reporting-mta: dns; relay.example.net

final-recipient: RFC822; wf1988@mail.example.net
original-recipient: rfc822; wang.fang+2Bshop@example.cn
ACTION:   Failed
status: 5.2.1 (mailbox disabled)

--==rep 77==
Content-Type: message/rfc822

{ACK_HEADERS}
您好，我们已收到您的投诉。
--==rep 77==--
""",
    # a delay notice: a DSN, but nobody failed yet
    "dsn-delayed.eml": f"""Return-Path: <>
Date: Mon, 23 Nov 2026 14:11:00 +0800
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: service@example.com
Subject: Delayed Mail (still being retried)
Message-ID: <delay-1@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DLY"

--DLY
Content-Type: text/plain

Your message has not been delivered yet. It will be retried.

--DLY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; wang.fang@example.cn
Action: delayed
Status: 4.4.1
Will-Retry-Until: Thu, 26 Nov 2026 10:11:00 +0800

--DLY
Content-Type: text/rfc822-headers

{ACK_HEADERS}
--DLY--
""",
    # a bounce without multipart/report (qmail style): only the sender and In-Reply-To say what it is
    "mailer-daemon-plain.eml": f"""Return-Path: <>
Date: Mon, 23 Nov 2026 10:11:09 +0800
From: MAILER-DAEMON@mail.example.org
To: service@example.com
Subject: failure notice
Message-ID: <qmail-8812@mail.example.org>
In-Reply-To: {ACK_ID}
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hi. This is the qmail-send program at mail.example.org.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<li.lei@example.org>:
Sorry, no mailbox here by that name. (#5.1.1)
""",
    # postmaster sends a non-standard notice with the original attached as message/rfc822 (multipart/mixed)
    "postmaster-sender.eml": f"""Return-Path: <postmaster@mail.example.org>
Date: Mon, 23 Nov 2026 10:11:10 +0800
From: "Postmaster" <Postmaster@mail.example.org>
To: service@example.com
Subject: Undeliverable: [C-20261123-000417]
Message-ID: <pm-4411@mail.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="PM"

--PM
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered: mailbox full.

--PM
Content-Type: message/rfc822

{ACK_HEADERS}
Body of the acknowledgement.
--PM--
""",
    # only the null reverse path tells: a non-standard bounce, body with a copy of the original headers
    "null-return-path.eml": f"""Return-Path: < >
Date: Mon, 23 Nov 2026 10:11:11 +0800
From: Mail System <system@relay.example.org>
To: service@example.com
Subject: Delivery Failure
Message-ID: <nrp-1@relay.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Your message to wang.fang@example.cn could not be delivered.

----- Original message headers -----
From: Customer Service <service@example.com>
To: wang.fang@example.cn
Message-ID: {ACK_ID}
""",
    # Exim: X-Failed-Recipients (two, folded), and the copy of the message in the body
    "x-failed-recipients.eml": f"""Return-path: <>
Date: Mon, 23 Nov 2026 10:11:12 +0800
From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: service@example.com
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1kExim-0007Ab-Cd@mx.example.net>
x-failed-recipients: wang.fang@example.cn,
 Zhao.Min@Example.NET
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  wang.fang@example.cn
    mailbox is full

------ This is a copy of the message, including all the headers. ------

{ACK_HEADERS}
Body of the acknowledgement.
""",
    # a read receipt (RFC 8098): machine-made, not a bounce
    "mdn-read-receipt.eml": f"""Return-Path: <zhang.wei@corp.example>
Date: Mon, 23 Nov 2026 10:30:00 +0800
From: Zhang Wei <zhang.wei@corp.example>
To: service@example.com
Subject: Read: [C-20261123-000417]
Message-ID: <mdn-1@corp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="MDN"

--MDN
Content-Type: text/plain

Your message was read.

--MDN
Content-Type: message/disposition-notification

Final-Recipient: rfc822; zhang.wei@corp.example
Original-Message-ID: {ACK_ID}
Disposition: manual-action/MDN-sent-manually; displayed

--MDN--
""",
    # an ordinary customer complaint
    "customer-complaint.eml": """Return-Path: <wang.fang@example.cn>
Date: Mon, 23 Nov 2026 10:05:00 +0800
From: =?UTF-8?B?546L6Iqz?= <wang.fang@example.cn>
To: complaints@example.com
Subject: =?UTF-8?B?5rSX6KGj5py655So5LqG5LiJ5aSp5bCx5Z2P5LqG?=
Message-ID: <CAF=complaint-4411@mail.example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

洗衣机用了三天就坏了，订单4411，请退款。
""",
    # the customer answers our acknowledgement: threaded to it, still a person writing
    "customer-reply-to-ack.eml": f"""Return-Path: <wang.fang@example.cn>
Date: Mon, 23 Nov 2026 11:00:00 +0800
From: =?UTF-8?B?546L6Iqz?= <wang.fang@example.cn>
To: Customer Service <service@example.com>
Subject: Re: {ACK_SUBJECT}
Message-ID: <CAF=reply-4411@mail.example.cn>
In-Reply-To: {ACK_ID}
References: <CAF=complaint-4411@mail.example.cn> {ACK_ID}
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

还没有人联系我。
""",
    # a person's mail from a system that asks not to be auto-answered (MS-OXCMAIL): a complaint, but no ack
    "suppress-auto-response.eml": """Return-Path: <it-desk@corp.example>
Date: Mon, 23 Nov 2026 11:30:00 +0800
From: Corp IT Desk <it-desk@corp.example>
To: complaints@example.com
Subject: Broken monitor delivered to our office
Message-ID: <itdesk-301@corp.example>
X-Auto-Response-Suppress: DR, OOF, AutoReply
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

The monitor from order 5520 arrived with a cracked screen.
""",
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in FIXTURES.items():
        data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
        (OUT / name).write_bytes(data)
    print(f"wrote {len(FIXTURES)} files to {OUT}")


if __name__ == "__main__":
    main()
