package org.complainthub.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret the hub generates once and keeps under its data directory (keys/): the link signing key, the management
 * token. Whoever reads such a file holds the secret: it is created readable by the hub's user only (never written first
 * and narrowed after), and one found readable by others is narrowed, with a warning. Several nodes sharing the folder
 * agree on the first one written.
 */
public final class SecretFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {
    }

    /** The file's secret (hex text), generated from {@code bytes} random bytes when there is none yet. */
    public static String readOrCreate(Path file, int bytes, String what) {
        try {
            if (!Files.exists(file)) {
                create(file, bytes);
            }
            ownerOnly(file, what);
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file, e);
        }
    }

    private static void create(Path file, int bytes) throws IOException {
        byte[] fresh = new byte[bytes];
        new SecureRandom().nextBytes(fresh);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        // written in full under another name, then moved into place: a crash never leaves a short secret behind
        String prefix = file.getFileName().toString() + "-";
        Path tmp = posix ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(fresh));
            try {
                Files.createLink(file, tmp); // atomic, and never replaces a secret another node put there first
            } catch (FileAlreadyExistsException anotherNodeWasFirst) {
                // its secret stands
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void ownerOnly(Path file, String what) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(now)) {
            LOG.warn("the {} {} was readable by others ({}): narrowed to {}", what, file,
                    PosixFilePermissions.toString(now), PosixFilePermissions.toString(OWNER_ONLY));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }
}
