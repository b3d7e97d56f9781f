#!/usr/bin/env python3
"""Writes byte-exact (CRLF) fixtures of mail that mail clients show but a strict MIME parser refuses, as found in
public corpora of real mail: broken multipart structure, sloppy parameter lists, Japanese and Korean charsets, From
headers that do not parse. Also the two kinds the hub must still quarantine: no address at all, no readable text.
Run from this folder: python3 make_fixtures.py"""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CRLF = b"\r\n"


def b(x):
    return x if isinstance(x, bytes) else x.encode("ascii")


def write(name, headers, body):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(CRLF.join(b(h) for h in headers) + CRLF + CRLF + body)


def lines(*ls):
    return b"".join(b(l) + CRLF for l in ls)


def common(subject, frm="Wang Fang <wang.fang@example.cn>", extra=(), msgid=None):
    hs = ["Return-Path: <wang.fang@example.cn>"]
    if frm is not None:
        hs.append(b"From: " + b(frm) if isinstance(frm, bytes) else "From: " + frm)
    hs += ["To: complaints@acme.example", "Date: Mon, 10 Jun 2024 11:14:58 +0800"]
    if subject is not None:
        hs.append(b"Subject: " + subject if isinstance(subject, bytes) else "Subject: " + subject)
    hs.append("Message-ID: " + (msgid or "<lenient-%d@mail.example.cn>" % len(written)))
    hs.extend(extra)
    written.append(1)
    return hs


written = []

# 1. multipart declared, but the body has no boundary line at all ("Missing start boundary"): clients show the body
write("missing_start_boundary.eml",
      common("Broken fridge", extra=["MIME-Version: 1.0",
                                     'Content-Type: multipart/mixed; boundary="----=_NextPart_000_0001"']),
      lines("The fridge I bought on order 5521 stopped cooling after two days.",
            "Please send someone to repair it."))

# 2. the boundary parameter names another boundary than the one the parts use
write("boundary_mismatch.eml",
      common("Late delivery", extra=["MIME-Version: 1.0",
                                     'Content-Type: multipart/alternative; boundary="declared-boundary"']),
      lines("--actual-boundary",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "My parcel 7731 is ten days late.",
            "--actual-boundary",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>My parcel 7731 is ten days late.</p>",
            "--actual-boundary--"))

# 3. stray semicolons and an empty parameter in parameter lists (Outlook plug-ins, list software)
write("stray_semicolon_parameters.eml",
      common("Charged twice", extra=["MIME-Version: 1.0",
                                     'Content-Type: multipart/mixed;; boundary="b1";']),
      lines("--b1",
            "Content-Type: text/plain;; charset=\"utf-8\"; ; format=flowed;",
            "Content-Transfer-Encoding: 8bit",
            "",
            "I was charged twice for invoice 9921.",
            "--b1",
            'Content-Type: application/pdf; name="invoice.pdf";;',
            'Content-Disposition: attachment;; filename="invoice.pdf"',
            "Content-Transfer-Encoding: base64",
            "",
            base64.b64encode(b"%PDF-1.4 invoice 9921").decode("ascii"),
            "--b1--"))

# 4. an unquoted boundary with characters that must be quoted ('=' and '?'), as some generators write it
write("unquoted_boundary_specials.eml",
      common("Rude staff", extra=["MIME-Version: 1.0",
                                  "Content-Type: multipart/mixed; boundary=----=_Part_17?x=1"]),
      lines("------=_Part_17?x=1",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "The staff at the Xuhui store were rude to my mother.",
            "------=_Part_17?x=1--"))

# 5. Japanese: ISO-2022-JP subject (B) and body (7bit, JIS escapes), as Japanese mail clients still send
jp = "注文した炊飯器が壊れていました。返金してください。"
write("iso_2022_jp.eml",
      common(b"=?ISO-2022-JP?B?" + base64.b64encode("炊飯器の故障".encode("iso2022_jp")) + b"?=",
             frm=b"=?ISO-2022-JP?B?" + base64.b64encode("山田太郎".encode("iso2022_jp")) + b"?= <yamada@example.jp>",
             extra=["MIME-Version: 1.0", "Content-Type: text/plain; charset=ISO-2022-JP",
                    "Content-Transfer-Encoding: 7bit"]),
      lines(jp.encode("iso2022_jp")))

# 6. Japanese: Shift_JIS body as 8bit, the label in upper case with an underscore
write("shift_jis.eml",
      common("=?Shift_JIS?B?" + base64.b64encode("配送遅延".encode("shift_jis")).decode("ascii") + "?=",
             frm="Sato <sato@example.jp>",
             extra=["MIME-Version: 1.0", "Content-Type: text/plain; charset=Shift_JIS",
                    "Content-Transfer-Encoding: 8bit"]),
      lines("荷物が一週間届きません。".encode("shift_jis")))

# 7. Korean: ks_c_5601-1987 (Outlook's label for CP949) subject and body, and EUC-KR in a second part
ko = "세탁기가 고장났습니다. 환불해 주세요."
write("korean_ks_c_5601.eml",
      common("=?ks_c_5601-1987?B?" + base64.b64encode("세탁기 고장".encode("cp949")).decode("ascii") + "?=",
             frm="=?euc-kr?B?" + base64.b64encode("김민수".encode("euc_kr")).decode("ascii") + "?= <minsu@example.kr>",
             extra=["MIME-Version: 1.0", 'Content-Type: multipart/alternative; boundary="ko"']),
      lines("--ko",
            "Content-Type: text/plain; charset=ks_c_5601-1987",
            "Content-Transfer-Encoding: base64",
            "",
            base64.b64encode(ko.encode("cp949")).decode("ascii"),
            "--ko",
            "Content-Type: text/html; charset=euc-kr",
            "Content-Transfer-Encoding: 8bit",
            "",
            b"<p>" + ko.encode("euc_kr") + b"</p>",
            "--ko--"))

# 8. a From that does not parse (no @, unbalanced quote), with a good Reply-To
write("from_unparseable_reply_to.eml",
      common("Refund please", frm='"Li Lei <li.lei at example dot com>',
             extra=["Reply-To: Li Lei <li.lei@example.com>", "MIME-Version: 1.0",
                    "Content-Type: text/plain; charset=utf-8"]),
      lines("The kettle leaks. I want a refund for order 3344."))

# 9. a From with a name only; the address is in Sender
write("from_name_only_sender.eml",
      common("Broken screen", frm="Customer Service Victim",
             extra=["Sender: zhao@example.org", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]),
      lines("The phone screen cracked on day one."))

# 10. no From at all; Return-Path is the only address (the envelope sender the server recorded)
hs = common("No sender header", frm=None, extra=["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"])
hs[0] = "Return-Path: <qian@example.net>"
write("only_return_path.eml", hs, lines("Nobody called me back about complaint 12."))

# 11. no address anywhere (From a name only; no Reply-To, Sender or Return-Path): still quarantined. (An empty
# Return-Path would make it a bounce, which is never a complaint and never quarantined.)
hs = common("Where is my order", frm="undisclosed", extra=["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"])
del hs[0]
write("no_address.eml", hs, lines("My order has not arrived."))

# 12. no readable text: no subject, an empty body and one binary part only: still quarantined
write("no_readable_text.eml",
      common(None, extra=["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="bin"']),
      lines("--bin",
            "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: base64",
            "",
            base64.b64encode(bytes(range(64))).decode("ascii"),
            "--bin--"))

# 13. a header line without a colon in the middle of the header block, and a part whose Content-Type is garbage
write("malformed_headers.eml",
      common("Missing parts", extra=["This line is not a header field", "MIME-Version: 1.0",
                                     'Content-Type: multipart/mixed; boundary="m"']),
      lines("--m",
            "Content-Type: text/plain; charset=\"utf-8",
            "",
            "Two screws were missing from the wardrobe kit, order 6610.",
            "--m",
            "Content-Type: ???",
            "",
            "junk",
            "--m--"))
print("written", len(written))
