package org.complainthub.evidence;

import java.nio.file.Files;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.complaint.RecordJson;
import org.springframework.stereotype.Component;

/**
 * Serves an evidence file behind its signed link. Always as a download with nosniff: a customer's upload is never
 * rendered by the desk's browser as a page of the hub's origin.
 */
@Component
public class EvidenceDownload {

    private final EvidenceStore store;

    public EvidenceDownload(EvidenceStore store) {
        this.store = store;
    }

    public void serve(Exchange exchange) {
        Message m = exchange.getMessage();
        String sha = m.getHeader("sha256", String.class);
        String sig = m.getHeader("sig", String.class);
        Optional<EvidenceStore.StoredFile> file = store.open(sha, sig);
        m.removeHeaders("*");
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("Cache-Control", "private, max-age=3600");
        if (file.isEmpty()) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            m.setBody(RecordJson.write(Map.of("error", "no such evidence, or the link is not valid")));
            return;
        }
        try {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, "application/octet-stream");
            m.setHeader("Content-Disposition", "attachment; filename=\"" + sha + "\"");
            m.setBody(Files.readAllBytes(file.get().path()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
