package org.complainthub.channel.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.internet.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MIME the way mail clients do where Jakarta Mail is strict. Jakarta's own switches for this are JVM-wide
 * System properties, one of them ({@code mail.mime.parameters.strict}) read once when its class loads, so the hub
 * repairs each mail instead: a Content-Type or Content-Disposition that does not parse (stray or doubled {@code ;},
 * an unquoted value with {@code =} or {@code ?}, an unclosed quote) is rewritten in the parsed part with its
 * parameters quoted, and a multipart whose declared boundary is not in its body is read by the boundary its parts
 * use (Jakarta's {@code ignoreexistingboundaryparameter}, for this multipart only).
 */
final class LenientMime {

    private static final Pattern TYPE = Pattern.compile("\\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\\s*/\\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)");
    private static final Pattern PARAM = Pattern.compile("\\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\\s*=\\s*(.*)", Pattern.DOTALL);

    private LenientMime() {
    }

    /** Rewrites this part's Content-Type and Content-Disposition when they do not parse; warns what it did. */
    static void repairHeaders(Part part, List<String> warnings) throws MessagingException {
        String type = first(part, "Content-Type");
        if (type != null && !parses(type, true)) {
            String repaired = repairedType(type);
            part.setHeader("Content-Type", repaired);
            warnings.add("Content-Type repaired: " + repaired);
        }
        String disposition = first(part, "Content-Disposition");
        if (disposition != null && !parses(disposition, false)) {
            String repaired = repairedDisposition(disposition);
            part.setHeader("Content-Disposition", repaired);
            warnings.add("Content-Disposition repaired: " + repaired);
        }
    }

    /** The multipart read by the boundary its parts use, ignoring the declared one; null if it has none either. */
    static MimeMultipart byTheBoundaryInTheBody(Part part) throws MessagingException {
        if (!(part instanceof MimePart mime)) {
            return null;
        }
        MimeMultipart found = new MimeMultipart(new MimePartDataSource(mime)) {
            @Override
            protected void initializeProperties() {
                super.initializeProperties();
                ignoreExistingBoundaryParameter = true;
            }
        };
        try {
            found.getCount();   // parses
            return found;
        } catch (ParseException noBoundaryLine) {
            return null;
        }
    }

    static String repairedType(String value) {
        String[] segments = segments(value);
        Matcher t = TYPE.matcher(segments.length == 0 ? "" : segments[0]);
        String primary = t.matches() ? t.group(1).toLowerCase(Locale.ROOT) : "text";
        String sub = t.matches() ? t.group(2).toLowerCase(Locale.ROOT) : "plain";
        return new ContentType(primary, sub, parameters(segments)).toString();
    }

    static String repairedDisposition(String value) {
        String[] segments = segments(value);
        String kind = segments.length == 0 ? "" : segments[0].strip().toLowerCase(Locale.ROOT);
        return new ContentDisposition(kind.matches("[a-z-]+") ? kind : "attachment", parameters(segments)).toString();
    }

    private static ParameterList parameters(String[] segments) {
        ParameterList list = new ParameterList();
        for (int i = 1; i < segments.length; i++) {
            Matcher p = PARAM.matcher(segments[i]);
            if (!p.matches()) {
                continue;   // an empty segment (";;") or a word without a value
            }
            String v = p.group(2).strip();
            if (v.startsWith("\"")) {
                v = v.substring(1, v.endsWith("\"") && v.length() > 1 ? v.length() - 1 : v.length())
                        .replace("\\\"", "\"").replace("\\\\", "\\");
            }
            String name = p.group(1).toLowerCase(Locale.ROOT);
            if (list.get(name) == null) {
                list.set(name, v);   // the first of a doubled parameter, as clients read it
            }
        }
        return list;
    }

    /** Split at the semicolons outside quotes. */
    private static String[] segments(String value) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (ch == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (ch != '\r' && ch != '\n') {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }

    private static boolean parses(String value, boolean contentType) {
        try {
            if (contentType) {
                new ContentType(value);
            } else {
                new ContentDisposition(value);
            }
            return true;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private static String first(Part part, String name) throws MessagingException {
        String[] values = part.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
