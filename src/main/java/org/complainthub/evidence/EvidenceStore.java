package org.complainthub.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.complainthub.HubProperties;
import org.complainthub.complaint.Complaint.Evidence;
import org.complainthub.web.HubLinks;
import org.springframework.stereotype.Component;

/**
 * Attachments and other evidence, kept under {@code <data-dir>/evidence} and named by their sha256, so the same file
 * sent twice is stored once. The record refers to a file by a signed hub URL, never by a path; the bytes never travel
 * inside a JMS message. A file is complete on disk (written, flushed, moved into place) before its evidence entry exists.
 */
@Component
public class EvidenceStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");

    private final Path root;
    private final HubLinks links;

    public EvidenceStore(HubProperties hub, HubLinks links) {
        this.root = hub.dataDir().resolve("evidence");
        this.links = links;
    }

    /** The stored file, with the content type to serve it as. */
    public record StoredFile(Path path, long size) {
    }

    /**
     * Stores {@code content}, refusing more than {@code maxBytes} (then nothing is kept and {@link TooLarge} is thrown).
     */
    public Evidence store(String fileName, String contentType, InputStream content, long maxBytes) {
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempFile(root, "incoming-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                    size = copyAtMost(content, out, maxBytes);
                }
                String hash = HexFormat.of().formatHex(sha.digest());
                Path target = pathOf(hash);
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return new Evidence(cleanName(fileName), cleanType(contentType), size, hash,
                        links.signed("/evidence/" + hash));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store evidence", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file behind a signed evidence link, if the signature is the hub's and the file exists. */
    public Optional<StoredFile> open(String sha256, String signature) {
        if (sha256 == null || !SHA256.matcher(sha256).matches() || !links.verify("/evidence/" + sha256, signature)) {
            return Optional.empty();
        }
        Path p = pathOf(sha256);
        try {
            return Files.isRegularFile(p) ? Optional.of(new StoredFile(p, Files.size(p))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path pathOf(String hash) {
        return root.resolve(hash.substring(0, 2)).resolve(hash);
    }

    private static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) != -1; ) {
            total += n;
            if (total > max) {
                throw new TooLarge(max);
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    /** Only the last path segment, no control characters, at most 255 characters. */
    static String cleanName(String name) {
        if (name == null || name.isBlank()) {
            return "attachment";
        }
        String last = name.replace('\\', '/');
        last = last.substring(last.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (last.isEmpty() || last.equals(".") || last.equals("..")) {
            return "attachment";
        }
        return last.length() > 255 ? last.substring(0, 255) : last;
    }

    static String cleanType(String type) {
        if (type == null) {
            return "application/octet-stream";
        }
        String bare = type.split(";", 2)[0].strip().toLowerCase();
        return MEDIA_TYPE.matcher(bare).matches() ? bare : "application/octet-stream";
    }

    /** Evidence over the configured size. */
    public static class TooLarge extends RuntimeException {
        public TooLarge(long max) {
            super("larger than " + max + " bytes");
        }
    }
}
