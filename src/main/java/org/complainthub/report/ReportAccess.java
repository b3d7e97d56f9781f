package org.complainthub.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.complainthub.ops.ManagementToken;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who may read the monthly report (it names orders, products, stores and staff): on the management port, like
 * /actuator/quarantine, and only with
 * <ul>
 * <li>{@code Authorization: Bearer <management token>} (scripts: the token of {@link ManagementToken}), or</li>
 * <li>HTTP Basic, the browser's own login dialog: user hub.report.username (default {@code report}) with password
 * hub.report.password (from the environment: HUB_REPORT_PASSWORD), so managers who read the report need not hold the
 * token that also replays the quarantine; or any user name with the management token as password.</li>
 * </ul>
 * Compared in constant time. Basic sends the password with every request: keep the management port on loopback or
 * behind TLS (management.server.ssl.*, or a proxy) when it is opened to other machines.
 */
@Component
public class ReportAccess {

    public static final String CHALLENGE = "Basic realm=\"Complaint Hub report\", charset=\"UTF-8\"";

    private final ManagementToken token;
    private final byte[] user;
    private final byte[] password;

    public ReportAccess(ManagementToken token, @Value("${hub.report.username:report}") String user,
                        @Value("${hub.report.password:}") String password) {
        this.token = token;
        this.user = user.strip().getBytes(StandardCharsets.UTF_8);
        this.password = password == null ? new byte[0] : password.strip().getBytes(StandardCharsets.UTF_8);
    }

    public boolean allows(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return token.accepts(authorization);
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return false;
        }
        byte[] u = pair.substring(0, colon).getBytes(StandardCharsets.UTF_8);
        String p = pair.substring(colon + 1);
        boolean reader = password.length > 0 & MessageDigest.isEqual(user, u)
                & MessageDigest.isEqual(password, p.getBytes(StandardCharsets.UTF_8));
        return reader | (!p.isEmpty() && token.accepts("Bearer " + p));
    }
}
