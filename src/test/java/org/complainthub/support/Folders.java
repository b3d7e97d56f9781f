package org.complainthub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Temporary copies of the hub's folders (routes/, channel-config/, mappings/) for tests that edit or add files. */
public final class Folders {

    private Folders() {
    }

    /**
     * Copies the tree {@code from} into {@code to} (created), replacing files already there, with their permissions and
     * times (a backup's key files stay owner-only); returns {@code to}.
     */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
