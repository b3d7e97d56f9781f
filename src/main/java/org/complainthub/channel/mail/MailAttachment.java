package org.complainthub.channel.mail;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * One non-body part of a mail: an attachment, an inline image, an opaque {@code winmail.dat}, a forwarded
 * {@code message/rfc822} (its raw bytes) or a text part that is not the body.
 *
 * @param fileName    the decoded original name (RFC 2231 or RFC 2047), or null when the part has none; never use it as
 *                    a storage path: see {@link #safeFileName()} (CHANNEL_FORMATS C7 E9)
 * @param contentType lower-case {@code type/subtype} without parameters
 * @param content     the bytes after transfer decoding (base64, quoted-printable); not copied, do not modify
 * @param contentId   the Content-ID without angle brackets, as referenced by {@code cid:} in HTML, or null
 * @param inline      true for {@code Content-Disposition: inline}, or no disposition and a Content-ID (an inline image
 *                    of a multipart/related mail)
 */
public record MailAttachment(String fileName, String contentType, byte[] content, String contentId, boolean inline) {

    private static final byte[] TNEF_SIGNATURE = {0x78, (byte) 0x9F, 0x3E, 0x22};

    public int size() {
        return content.length;
    }

    /** Lower-case hex SHA-256 of the content. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Outlook's TNEF (winmail.dat), by MIME type or by its signature 78 9F 3E 22 (CHANNEL_FORMATS C3). */
    public boolean isTnef() {
        return contentType.equals("application/ms-tnef") || contentType.equals("application/vnd.ms-tnef")
                || content.length >= 4 && Arrays.equals(content, 0, 4, TNEF_SIGNATURE, 0, 4);
    }

    /**
     * A name safe to store under: the last path segment only, control characters, NUL and characters reserved on
     * Windows or Unix replaced by '_', no leading dots, at most 120 characters; {@code attachment} (plus an
     * extension guessed from the type) when nothing is left. The original stays in {@link #fileName()}.
     */
    public String safeFileName() {
        String name = fileName == null ? "" : fileName;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[\\p{Cntrl}\\u2028\\u2029<>:\"|?*]", "_").strip();
        name = name.replaceFirst("^[.\\s]+", "");
        if (name.length() > 120) {
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, 120 - ext.length()) + ext;
        }
        if (name.isEmpty() || name.chars().allMatch(c -> c == '_')) {
            name = "attachment" + extensionFor(contentType);
        }
        return name;
    }

    private static String extensionFor(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "message/rfc822" -> ".eml";
            case "application/pdf" -> ".pdf";
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/gif" -> ".gif";
            case "text/plain" -> ".txt";
            case "text/html" -> ".html";
            default -> ".bin";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailAttachment a && Objects.equals(fileName, a.fileName)
                && contentType.equals(a.contentType) && Arrays.equals(content, a.content)
                && Objects.equals(contentId, a.contentId) && inline == a.inline;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, Arrays.hashCode(content), contentId, inline);
    }

    @Override
    public String toString() {
        return "MailAttachment[" + fileName + ", " + contentType + ", " + content.length + " bytes"
                + (contentId == null ? "" : ", cid " + contentId) + (inline ? ", inline" : "") + "]";
    }
}
