package org.complainthub;

import java.nio.file.Path;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hub's own settings (prefix {@code hub.}), each overridable by an environment variable (HUB_DATA_DIR, ...).
 *
 * @param dataDir      journal, embedded database, evidence and drop folders live here
 * @param mappingsDir  mapping files, classification rules and templates (edited by operators, read at start-up)
 * @param timeZone     the zone reference numbers and customer-facing times are written in
 * @param publicUrl    the base URL links to the hub are built from (evidence, status pages); empty means
 *                     http://localhost:<the port the server listens on>
 * @param signingKey   HMAC key for signed links; empty means one is generated once and kept in the data directory
 */
@ConfigurationProperties(prefix = "hub")
public record HubProperties(Path dataDir, Path mappingsDir, ZoneId timeZone, String publicUrl, String signingKey) {
    public HubProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        mappingsDir = mappingsDir == null ? Path.of("mappings") : mappingsDir;
        timeZone = timeZone == null ? ZoneId.of("Asia/Shanghai") : timeZone;
        publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }
}
