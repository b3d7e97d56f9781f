#!/usr/bin/env python3
"""Writes the hotline channel's call-log fixtures with exact bytes (encodings, BOM, CRLF/LF, bad rows).
Run from this folder: python3 make_fixtures.py. HotlineIntakeTest drops them into the hub's drop folder."""
import os

def write(path, text, encoding="utf-8", bom=False, newline="\n"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    data = text.replace("\n", newline).encode(encoding)
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)

# Generic export as Excel writes "CSV UTF-8": BOM, CRLF, RFC 4180 quoting, a note over two lines (LF inside quotes).
generic = (
    "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,Order Number,Call ID\n"
    "13800138000,张伟,王敏,2026-11-20 09:15:02,405,Answered,物流,快递三天都没送到，客服电话也打不通。,退款,DD20261120001,CALL-0001\n"
    "+86 139 0013 9000,=1+1,李强,2026-11-20 09:30:00,120,Answered,,\"Washing machine broke after 3 days, \"\"really\"\" angry.\n"
    "Second line of the notes.\",Refund;Repair,4411,CALL-0002\n"
    "13700137000,,王敏,2026-11-20 09:40:00,0,Unanswered,,,,,CALL-0003\n"
    "anonymous,,王敏,2026-11-20 09:50:00,60,Answered,服务,门店店员态度很差。,道歉,,CALL-0004\n"
    "13600136000,赵六,王敏,20.11.2026 9:55,60,Answered,,有问题,,,CALL-0005\n"
    "13500135000,钱七,王敏,2026-11-20 10:00:00,60,Answered,,\"quote never closed,,,CALL-0006\n"
    "13400134000,孙八,王敏,2026-11-20 10:05:00,60,Answered,,多了一列,,,CALL-0007,extra\n"
    "9013800138001,@SUM(A1),王敏,2026-11-20 10:10:00,60,Answered,价格,多收了我50元,,,CALL-0008\n"
    "+8613900139001,=HYPERLINK(\"http://evil.example/\"),王敏,2026-11-20 10:20:00,60,Answered,,备注,,,CALL-0009,extra\n"
)
generic = generic.replace("angry.\r\n", "angry.\n")
write("generic.csv", generic, bom=True, newline="\r\n")
# the CRLF conversion above also hit the line break inside the quoted note; keep that one a bare LF as Excel does
with open("generic.csv", "rb") as f:
    data = f.read().replace("angry.\r\nSecond".encode(), "angry.\nSecond".encode())
with open("generic.csv", "wb") as f:
    f.write(data)

# Generic export saved by Excel on Chinese Windows: GB18030 (no BOM), Chinese column titles in another order,
# a name with a four-byte GB18030 character, CRLF.
write("callcentre-gbk.csv",
      "通话ID,主叫号码,客户姓名,坐席,开始时间,通话时长,处理结果,投诉类别,备注,客户诉求,订单号\n"
      "GBK-0001,0086 138 0013 8002,𠮷田,刘洋,2026-11-21 14:00:00,300,已接通,产品质量,电视屏幕有坏点，要求换货。,换货,SO-778\n"
      "GBK-0002,restricted,,刘洋,2026-11-21 14:10:00,200,已接通,,冰箱不制冷，修了两次还是不行。,维修,\n",
      encoding="gb18030", newline="\r\n")

# Asterisk cdr_csv Master.csv, loguniqueid=yes and loguserfield=yes (18 columns), LF, as cdr_csv.c writes it.
ast_rows = [
    '"hotline","13800138010","4008001234","from-pstn","""Zhang San"" <13800138010>","PJSIP/trunk-cn-00000012","PJSIP/agent1001-00000013","Queue","complaints,t,,,300","2024-06-10 09:15:02","2024-06-10 09:15:20","2024-06-10 09:21:47",405,387,"ANSWERED","DOCUMENTATION","1718010902.18","快递破损，订单4411，要求赔偿"',
    '"","1001","13900139000","from-internal","""Agent 1001"" <1001>","PJSIP/agent1001-00000020","PJSIP/trunk-cn-00000021","Dial","PJSIP/13900139000@trunk-cn,60","2024-06-10 09:30:00",,"2024-06-10 09:30:41",41,0,"NO ANSWER","DOCUMENTATION","1718011800.20",""',
    '"hotline","13700137010","4008001234","from-pstn","=HYPERLINK(""http://x.example/"",""a"") <13700137010>","PJSIP/trunk-cn-00000030","PJSIP/agent1002-00000031","Queue","complaints","2024-06-10 10:02:11","2024-06-10 10:02:11","2024-06-10 10:06:15",244,244,"ANSWERED","DOCUMENTATION","1718013731.30","刚买的电视屏幕有坏点"',
    '"hotline","anonymous","4008001234","from-pstn","""Anonymous"" <anonymous>","PJSIP/trunk-cn-00000040","PJSIP/agent1001-00000041","Queue","complaints","2024-06-10 10:20:00","2024-06-10 10:20:05","2024-06-10 10:23:05",185,180,"ANSWERED","DOCUMENTATION","1718014800.40","Rude staff at the Xidan store"',
    '"hotline","13600136010","4008001234","from-pstn","""Li Si"" <13600136010>","PJSIP/trunk-cn-00000050","","Hangup","","2024-06-10 10:30:00","2024-06-10 10:30:00","2024-06-10 10:30:04",4,4,"ANSWERED","DOCUMENTATION"',
    '"hotline","13500135010","4008001234","from-pstn","""Wang Wu"" <13500135010>","PJSIP/trunk-cn-00000060","PJSIP/agent1001-00000061","Queue","complaints","2024-06-10 10:40:00","2024-06-10 10:40:05","2024-06-10 10:41:05",-5,60,"ANSWERED","DOCUMENTATION","1718015000.60","退款还没到账"',
]
write("asterisk/Master.csv.1", "\n".join(ast_rows) + "\n")
# the per-account copy cdr_csv writes of the same call (accountlogs=yes): the same call, not a second complaint
write("asterisk/hotline.csv", ast_rows[0] + "\n")
# cdr.conf without loguniqueid/loguserfield (16 columns): not this format at all -> error/
write("asterisk/Master-16-columns.csv",
      '"hotline","13800138000","4008001234","from-pstn","""Zhang San"" <13800138000>","PJSIP/trunk-cn-00000012","PJSIP/agent1001-00000013","Queue","complaints,t,,,300","2024-06-10 09:15:02","2024-06-10 09:15:20","2024-06-10 09:21:47",405,387,"ANSWERED","DOCUMENTATION"\n')

# FreeSWITCH mod_cdr_csv, the hub's "hotline" template (example template + complaint_notes), quotes never escaped.
write("freeswitch/Master.csv.2024-06-10-10-00-00",
      '"Zhang San","13800138020","4008001234","public","2024-06-10 09:15:02","2024-06-10 09:15:20","2024-06-10 09:21:47","405","387","NORMAL_CLEARING","3f1c2a8e-26f1-11ef-9a6b-0242ac120002","40aa7c12-26f1-11ef-9a6b-0242ac120002","hotline","PCMA","PCMA","安装师傅迟到了三个小时"\n'
      '"Li Si","13900139020","4008001234","public","2024-06-10 09:40:00","","2024-06-10 09:40:25","25","0","ORIGINATOR_CANCEL","5b0d9f04-26f3-11ef-9a6b-0242ac120002","","hotline","PCMA","PCMA",""\n'
      '"Wang "VIP" Wu","13600136020","4008001234","public","2024-06-10 09:50:00","2024-06-10 09:50:03","2024-06-10 09:52:03","123","120","NORMAL_CLEARING","6c1e0a15-26f4-11ef-9a6b-0242ac120002","6d2f1b26-26f4-11ef-9a6b-0242ac120002","hotline","PCMU","PCMU","The "premium" plan was billed twice"\n'
      '"Zhao "," Liu","13500135020","4008001234","public","2024-06-10 09:55:00","2024-06-10 09:55:03","2024-06-10 09:57:03","123","120","NORMAL_CLEARING","7d3f2c37-26f4-11ef-9a6b-0242ac120002","","hotline","PCMU","PCMU","notes"\n')

# Not a call log at all: -> error/
with open("garbage.csv", "wb") as f:
    f.write(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
