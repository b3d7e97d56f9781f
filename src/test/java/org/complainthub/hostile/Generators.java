package org.complainthub.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Payloads too big (or too dangerous) to commit, made at test time from a {@code generate:} entry of a case. Each is
 * named by {@code kind}; the bombs are real (a reader that unpacks them gets the full size) but cost about a
 * millisecond per expanded megabyte to make: zeros deflated once per megabyte with a full flush, which resets the
 * dictionary, so every further megabyte is the same compressed bytes again.
 * <ul>
 * <li>{@code repeat}: {@code before} + {@code unit} × {@code times} + {@code after} (text, UTF-8; YAML escapes such as
 * \r\n and \u200b work in double quotes), or {@code file} (a file of the case's folder) with {@code @@} in it replaced
 * by the repeated unit;</li>
 * <li>{@code zip-bomb}: a ZIP of one entry of {@code expandsToMb} MB of zeros (default 1024);</li>
 * <li>{@code nested-zip}: {@code levels} of ZIPs, each holding {@code width} copies of the one below (42.zip);</li>
 * <li>{@code gzip-bomb}: gzip of {@code expandsToMb} MB of zeros;</li>
 * <li>{@code png-bomb}: a valid PNG of {@code width} × {@code height} 1-bit pixels (default 50000 × 50000);</li>
 * <li>{@code mail}: a MIME mail (From, To, Subject, Message-ID from the entry, {@code headers} added as they are,
 * {@code text}, and {@code attachments}: [{filename, contentType, generate | text}]) in base64;</li>
 * <li>{@code bytes}: {@code hex} as bytes.</li>
 * </ul>
 */
public final class Generators {

    private static final int MB = 1 << 20;

    private Generators() {
    }

    public static byte[] generate(JsonNode spec, HostileCase c) {
        String kind = spec.path("kind").asText();
        return switch (kind) {
            case "repeat" -> repeat(spec, c);
            case "zip-bomb" -> zipBomb(spec.path("expandsToMb").asInt(1024), spec.path("entry").asText("zeros.bin"));
            case "nested-zip" -> nestedZip(spec.path("levels").asInt(3), spec.path("width").asInt(10),
                    spec.path("expandsToMb").asInt(256));
            case "gzip-bomb" -> gzipBomb(spec.path("expandsToMb").asInt(1024));
            case "png-bomb" -> pngBomb(spec.path("width").asInt(50_000), spec.path("height").asInt(50_000));
            case "mail" -> mail(spec, c);
            case "bytes" -> java.util.HexFormat.of().parseHex(spec.path("hex").asText().replaceAll("\\s", ""));
            default -> throw new IllegalArgumentException(c.displayName() + ": unknown generator kind '" + kind + "'");
        };
    }

    private static byte[] repeat(JsonNode spec, HostileCase c) {
        byte[] unit = spec.path("unit").asText().getBytes(StandardCharsets.UTF_8);
        int times = spec.path("times").asInt();
        ByteArrayOutputStream repeated = new ByteArrayOutputStream(unit.length * times);
        for (int i = 0; i < times; i++) {
            repeated.writeBytes(unit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (spec.has("file")) {
            byte[] template = HostileCases.read(c, spec.get("file").asText());
            int at = indexOf(template, "@@".getBytes(StandardCharsets.US_ASCII));
            if (at < 0) {
                throw new IllegalArgumentException(c.displayName() + ": " + spec.get("file").asText() + " has no @@ to fill");
            }
            out.write(template, 0, at);
            out.writeBytes(repeated.toByteArray());
            out.write(template, at + 2, template.length - at - 2);
        } else {
            out.writeBytes(spec.path("before").asText().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(repeated.toByteArray());
            out.writeBytes(spec.path("after").asText().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ bombs

    /** Raw deflate of {@code size} zero bytes, made in about a millisecond per megabyte (see the class comment). */
    static byte[] deflatedZeros(long size) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[MB];
        byte[] buf = new byte[2 * MB];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long whole = size / MB;
        byte[] chunk = null;
        if (whole > 0) {
            d.setInput(zeros);
            chunk = Arrays.copyOf(buf, d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH));
            for (long i = 0; i < whole; i++) {
                out.writeBytes(chunk);
            }
        }
        d.setInput(zeros, 0, (int) (size % MB));
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static long crcOfZeros(long size) {
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[MB];
        for (long left = size; left > 0; left -= MB) {
            crc.update(zeros, 0, (int) Math.min(MB, left));
        }
        return crc.getValue();
    }

    static byte[] zipBomb(int expandsToMb, String entry) {
        long size = Math.min((long) expandsToMb * MB, 0xFFFF_FFFEL); // no ZIP64: under 4 GB
        return zip(entry, deflatedZeros(size), crcOfZeros(size), size, 8);
    }

    /**
     * Each level deflated again: the level below is a few identical compressed blocks over and over, which deflate
     * down to almost nothing, so the whole stays small however many levels and copies it has.
     */
    static byte[] nestedZip(int levels, int width, int expandsToMb) {
        byte[] inner = zipBomb(expandsToMb, "zeros.bin");
        for (int level = 1; level < levels; level++) {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
                out.setLevel(Deflater.BEST_COMPRESSION);
                for (int i = 0; i < width; i++) {
                    out.putNextEntry(new java.util.zip.ZipEntry("level" + level + "-" + i + ".zip"));
                    out.write(inner);
                    out.closeEntry();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            inner = zip.toByteArray();
        }
        return inner;
    }

    static byte[] gzipBomb(int expandsToMb) {
        long size = (long) expandsToMb * MB;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff});
        out.writeBytes(deflatedZeros(size));
        out.writeBytes(le((int) crcOfZeros(size)));
        out.writeBytes(le((int) size));
        return out.toByteArray();
    }

    /** A PNG whose pixels (all black) a decoder would need width × height bits for. */
    static byte[] pngBomb(int width, int height) {
        long raw = (long) height * (1 + (width + 7) / 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        zlib.writeBytes(new byte[] {0x78, (byte) 0xda});
        zlib.writeBytes(deflatedZeros(raw));
        // Adler-32 of zeros: a stays 1, b grows by 1 per byte
        long b = raw % 65521;
        zlib.writeBytes(ByteBuffer.allocate(4).putInt((int) (b << 16 | 1)).array());
        chunk(out, "IDAT", zlib.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] zip(String name, byte[] data, long crc, long size, int method) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipWriter w = new ZipWriter(out);
        w.entry(name, data, crc, size, method);
        w.finish();
        return out.toByteArray();
    }

    /** A ZIP written by hand: the sizes and CRC of an entry are given, not computed from bytes the writer never sees. */
    private static final class ZipWriter {
        private final ByteArrayOutputStream out;
        private final ByteArrayOutputStream central = new ByteArrayOutputStream();
        private int entries;

        ZipWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void entry(String name, byte[] data, long crc, long size, int method) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            int offset = out.size();
            ByteBuffer local = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN).putInt(0x04034b50).putShort((short) 20)
                    .putShort((short) 0x800).putShort((short) method).putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) crc).putInt(data.length).putInt((int) size).putShort((short) n.length).putShort((short) 0);
            out.writeBytes(local.array());
            out.writeBytes(n);
            out.writeBytes(data);
            ByteBuffer dir = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN).putInt(0x02014b50).putShort((short) 20)
                    .putShort((short) 20).putShort((short) 0x800).putShort((short) method).putShort((short) 0)
                    .putShort((short) 0x21).putInt((int) crc).putInt(data.length).putInt((int) size)
                    .putShort((short) n.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(offset);
            central.writeBytes(dir.array());
            central.writeBytes(n);
            entries++;
        }

        void finish() {
            int start = out.size();
            out.writeBytes(central.toByteArray());
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN).putInt(0x06054b50).putShort((short) 0)
                    .putShort((short) 0).putShort((short) entries).putShort((short) entries).putInt(central.size())
                    .putInt(start).putShort((short) 0);
            out.writeBytes(end.array());
        }
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    // ------------------------------------------------------------------ mail

    private static byte[] mail(JsonNode spec, HostileCase c) {
        String boundary = "=_hostile_" + Integer.toHexString(c.name.hashCode());
        StringBuilder head = new StringBuilder();
        head.append("From: ").append(spec.path("from").asText("Li Lei <li.lei@example.com>")).append("\r\n");
        head.append("To: complaints@shop.example\r\n");
        head.append("Subject: ").append(spec.path("subject").asText("Complaint")).append("\r\n");
        head.append("Date: Mon, 10 Jun 2024 10:00:00 +0800\r\n");
        head.append("Message-ID: <").append(c.name).append("@hostile.example>\r\n");
        spec.path("headers").forEach(h -> head.append(h.asText()).append("\r\n"));
        head.append("MIME-Version: 1.0\r\n");
        head.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + spec.path("text").asText("My order 4411 arrived broken, please refund me.") + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (JsonNode a : spec.path("attachments")) {
            byte[] content = a.has("generate") ? generate(a.get("generate"), c) : a.path("text").asText().getBytes(StandardCharsets.UTF_8);
            String name = a.path("filename").asText("attachment.bin");
            out.writeBytes(("--" + boundary + "\r\nContent-Type: " + a.path("contentType").asText("application/octet-stream")
                    + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name
                    + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(Base64.getMimeEncoder().encode(content));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
