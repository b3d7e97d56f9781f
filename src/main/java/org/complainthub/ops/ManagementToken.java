package org.complainthub.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.complainthub.HubProperties;
import org.complainthub.web.SecretFiles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bearer token of the hub's management operations that change something or show what customers sent
 * (/actuator/quarantine). hub.management.token (from the environment: HUB_MANAGEMENT_TOKEN) wins; when it is empty, one
 * is generated on first start and kept in &lt;data-dir&gt;/keys/management-token, readable by the hub's user only, where
 * the {@code quarantine} command on the same machine finds it. Rotate: set a new HUB_MANAGEMENT_TOKEN and restart (or
 * delete the file and restart). Compared in constant time.
 */
@Component
public class ManagementToken {

    /** Where the generated token is kept, under the data directory. */
    public static final String FILE = "keys/management-token";

    private final byte[] token;

    public ManagementToken(HubProperties hub, @Value("${hub.management.token:}") String configured) {
        String t = configured != null && !configured.isBlank() ? configured.strip()
                : SecretFiles.readOrCreate(hub.dataDir().resolve(FILE), 32, "management token");
        this.token = t.getBytes(StandardCharsets.UTF_8);
    }

    /** The file a hub on {@code dataDir} keeps its generated token in. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    /** Whether an Authorization header carries the token ("Bearer &lt;token&gt;"). */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}
