package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.complainthub.HubProperties;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.Multipart;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * With less free disk under the data directory than hub.intake.min-free-disk-bytes, intake answers 503 with
 * Retry-After and queues and writes nothing. The threshold is set above the disk's actual free space (no disk filled).
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000",
        "hub.intake.min-free-disk-bytes=4611686018427387904"})
class LowDiskTest extends HubIntegrationTest {

    @Autowired
    HubProperties hub;

    @Test
    void lowDiskMeans503WithRetryAfterAndNothingQueuedOrWritten() throws Exception {
        HttpResponse<String> api = postJson("/api/complaints", """
                {"customer": {"email": "disk@example.com"}, "description": "The shop assistant was rude and ignored me."}""");
        assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
        assertThat(api.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());

        Multipart form = new Multipart().field("customer.phone", "13800138000").field("description", "电水壶漏电")
                .field("consent", "yes").file("attachments", "p.jpg", "image/jpeg", new byte[200_000]);
        HttpResponse<String> f = post("/complaints", form.contentType(), form.body());
        assertThat(f.statusCode()).as(f.body()).isEqualTo(503);
        assertThat(f.headers().firstValue("Retry-After")).isPresent();

        assertThat(depthOfAllComplaintQueues()).isZero();
        assertThat(depth("complaints.outbound.send")).isZero();
        for (String dir : new String[] {"uploads", "evidence"}) {
            Path d = hub.dataDir().resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.walk(d)) {
                    assertThat(files.filter(Files::isRegularFile).toList()).as(dir).isEmpty();
                }
            }
        }
    }
}
