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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.regex.Pattern;
import org.complainthub.HubProperties;
import org.complainthub.complaint.Complaint.Evidence;
import org.complainthub.web.HubLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Attachments and other evidence, kept under {@code <data-dir>/evidence} and named by their sha256, so the same file
 * sent twice is stored once. The record refers to a file by a signed hub URL, never by a path; the bytes never travel
 * inside a JMS message. A file is complete on disk (written, flushed, moved into place) before its evidence entry exists.
 * <p>
 * Uploads of a submission not validated yet (the web form) are first {@link #stage staged} in {@code <data-dir>/uploads},
 * one file per upload and submission, and {@link #keep kept} (moved into the store) by dispatch just before the
 * broker's commit, so the link works once the 202 is answered and a crash after the commit loses nothing. A failed or
 * refused submission {@link #discard discards} its uploads at once (and {@link #undo undoes} a keep that created
 * store files no other submission took since); {@link #sweepUploads} removes uploads a crash left behind. A crash in
 * the moment between a keep and the broker's commit leaves store files no complaint names: never swept, since nothing
 * tells them from the files of complaints whose bookkeeping is late (see README).
 */
@Component
public class EvidenceStore {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceStore.class);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}");


    private final Path root;
    private final Path uploads;
    private final HubLinks links;
    private final Duration uploadMaxAge;
    /** Store files created by a keep whose submission is still in flight: how many submissions took each since. */
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /**
     * {@code folder}: where the store is (hub.evidence.folder), by default {@code <data-dir>/evidence}. Several nodes
     * share one folder on a shared filesystem so any node answers an evidence link; their uploads are then staged in
     * its {@code .uploads} (the same filesystem, so keeping an upload stays a rename), else in {@code <data-dir>/uploads}.
     */
    public EvidenceStore(HubProperties hub, HubLinks links,
                         @Value("${hub.evidence.upload-max-age:PT1H}") Duration uploadMaxAge,
                         @Value("${hub.evidence.folder:}") String folder) {
        boolean shared = folder != null && !folder.isBlank();
        this.root = shared ? Path.of(folder.strip()) : hub.dataDir().resolve("evidence");
        this.uploads = shared ? root.resolve(".uploads") : hub.dataDir().resolve("uploads");
        this.links = links;
        this.uploadMaxAge = uploadMaxAge;
    }

    /** An upload in the temporary area, and its evidence entry (whose link opens once the upload is kept). */
    public record Staged(Evidence evidence, Path path) {
    }

    /**
     * Writes an upload to the temporary area, refusing more than {@code maxBytes} (then nothing is kept and
     * {@link TooLarge} is thrown).
     */
    public Staged stage(String fileName, String contentType, InputStream content, long maxBytes) {
        try {
            Files.createDirectories(uploads);
            Path tmp = Files.createTempFile(uploads, "incoming-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                    size = copyAtMost(content, out, maxBytes);
                }
                String hash = HexFormat.of().formatHex(sha.digest());
                Path staged = uploads.resolve(hash + "." + tmp.getFileName().toString().replace(".part", ".upload"));
                Files.move(tmp, staged, StandardCopyOption.ATOMIC_MOVE);
                return new Staged(new Evidence(cleanName(fileName), cleanType(contentType), size, hash,
                        links.signed("/evidence/" + hash)), staged);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an upload", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Moves staged uploads into the store under their hash (identical content is stored once); returns the hashes
     * whose store file this call created, for {@link #kept} or {@link #undo}.
     */
    public List<String> keep(List<Path> staged) {
        List<String> created = new ArrayList<>();
        for (Path p : staged) {
            String hash = p.getFileName().toString().substring(0, 64);
            Path target = pathOf(hash);
            inFlight.compute(hash, (h, takers) -> {
                try {
                    if (takers != null || Files.exists(target)) {
                        Files.deleteIfExists(p);
                        return takers == null ? null : takers + 1;
                    }
                    Files.createDirectories(target.getParent());
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                    created.add(h);
                    return 1;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot move an upload into the evidence store", e);
                }
            });
        }
        return created;
    }

    /** The submission whose keep created these store files was queued: they stay. */
    public void kept(List<String> created) {
        created.forEach(inFlight::remove);
    }

    /**
     * The submission whose keep created these store files was not queued: each is removed unless another submission
     * took the same content meanwhile.
     */
    public void undo(List<String> created) {
        for (String hash : created) {
            inFlight.computeIfPresent(hash, (h, takers) -> {
                if (takers == 1) {
                    try {
                        Files.deleteIfExists(pathOf(h));
                    } catch (IOException e) {
                        // left behind: a file of the store nobody names
                    }
                }
                return null;
            });
        }
    }

    /** Deletes a submission's staged uploads (those kept are gone from the upload area already). */
    public void discard(List<Path> staged) {
        for (Path p : staged) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // the sweep takes it later
            }
        }
    }

    /** Removes uploads older than hub.evidence.upload-max-age: what a crash left in the upload area. */
    public int sweepUploads() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        java.time.Instant before = java.time.Instant.now().minus(uploadMaxAge);
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(uploads)) {
            for (Path f : files.toList()) {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(before) && Files.deleteIfExists(f)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to delete
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} uploads older than {} from {}", removed, uploadMaxAge, uploads);
        }
        return removed;
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

    /**
     * Only the last path segment, no control characters and no format characters (a right-to-left override shows
     * "invoice" U+202E "gpj.exe" as "invoiceexe.jpg" on the desk), at most 255 characters (never half a surrogate pair).
     */
    static String cleanName(String name) {
        if (name == null || name.isBlank()) {
            return "attachment";
        }
        String last = name.replace('\\', '/');
        last = last.substring(last.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
        if (last.isEmpty() || last.equals(".") || last.equals("..")) {
            return "attachment";
        }
        if (last.length() <= 255) {
            return last;
        }
        return last.substring(0, Character.isHighSurrogate(last.charAt(254)) ? 254 : 255);
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
