package org.complainthub.webform;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.jms.ResourceAllocationException;
import java.nio.file.Path;
import org.apache.camel.support.SynchronizationAdapter;
import org.complainthub.HubExchange;
import org.complainthub.dispatch.FreeDiskSpace;
import org.complainthub.complaint.RecordJson;
import org.complainthub.evidence.EvidenceStore;
import org.complainthub.intake.FieldError;
import org.complainthub.intake.SubmissionRejected;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * Reads the complaint page's form (POST /complaints) into the payload its mapping expects: the fields as a nested map
 * keyed by the record's own paths, and the attachments stored as evidence. Reads Spring's multipart request rather
 * than platform-http's body, which keeps only one file per field and loses the file names (STACK.md 14).
 */
@Component
public class WebformSubmissions {

    /** The form's fields; anything else is refused, as in the JSON API. */
    static final Set<String> FIELDS = Set.of("customer.name", "customer.phone", "customer.email", "customer.language",
            "target.order", "type", "subject", "description", "demands", "consent", SubmissionKeys.FORM_FIELD);
    static final String ATTACHMENTS = "attachments";

    private final EvidenceStore evidence;
    private final SubmissionKeys keys;
    private final FreeDiskSpace disk;
    private final int maxAttachments;
    private final long maxAttachmentBytes;

    public WebformSubmissions(EvidenceStore evidence, SubmissionKeys keys, FreeDiskSpace disk,
                              @Value("${hub.webform.max-attachments}") int maxAttachments,
                              @Value("${hub.webform.max-attachment-bytes}") long maxAttachmentBytes) {
        this.evidence = evidence;
        this.keys = keys;
        this.disk = disk;
        this.maxAttachments = maxAttachments;
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    public Map<String, Object> read(Exchange exchange) throws ResourceAllocationException {
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        String type = request == null || request.getContentType() == null ? "" : request.getContentType().toLowerCase();
        // only multipart: an application/x-www-form-urlencoded body is read by the route before the fields are, so it
        // arrived without any field ("consent is required", whatever was sent); the page sends multipart
        if (!type.startsWith("multipart/form-data")) {
            throw SubmissionRejected.of(415, "", "unsupported_type", "send the form as multipart/form-data");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> payload = fields(request.getParameterMap(), errors);
        List<MultipartFile> files = request instanceof MultipartHttpServletRequest multipart
                ? multipart.getMultiFileMap().entrySet().stream().flatMap(e -> {
                    if (!e.getKey().equals(ATTACHMENTS)) {
                        errors.add(new FieldError(e.getKey(), "unknown_field", "unknown file field " + e.getKey()));
                    }
                    return e.getValue().stream();
                }).filter(f -> !f.isEmpty()).toList()
                : List.of();
        if (files.size() > maxAttachments) {
            errors.add(new FieldError(ATTACHMENTS, "too_many", "at most " + maxAttachments + " attachments"));
        }
        if (!errors.isEmpty()) {
            throw SubmissionRejected.badRequest(errors);
        }
        // the page's one-time token: the same token twice is one complaint (SubmissionKeys)
        Object token = payload.remove(SubmissionKeys.FORM_FIELD);
        String sourceId = token == null ? null : keys.sourceIdOfToken((String) token);
        if (sourceId != null) {
            payload.put(SubmissionKeys.SOURCE_ID, sourceId);
        }
        if (!files.isEmpty()) {
            disk.check(); // before writing up to max-attachments × max-attachment-bytes
        }
        payload.put(ATTACHMENTS, stage(files, exchange));
        return payload;
    }

    /**
     * The form's fields (name -> values, as a request gives them) as the payload mappings/webform-form.jsonata
     * receives, without the attachments (and with the page's token, well-formed, as formToken); unknown fields, repeated fields and a missing consent are added to
     * {@code errors}. The {@code try} command reads a sample form body with it.
     */
    public static Map<String, Object> fields(Map<String, String[]> parameters, List<FieldError> errors) {
        Map<String, Object> payload = new LinkedHashMap<>();
        parameters.forEach((name, values) -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown_field", "unknown field " + name));
            } else if (name.equals("demands")) {
                List<String> demands = List.of(values).stream().filter(v -> !v.isBlank()).distinct().toList();
                if (!demands.isEmpty()) {
                    payload.put("demands", demands);
                }
            } else if (values.length > 1) {
                errors.add(new FieldError(name, "invalid", name + " was sent more than once"));
            } else if (values[0].indexOf('\uFFFD') >= 0) {
                // the servlet container decodes bytes that are not UTF-8 as U+FFFD; the page always sends UTF-8
                errors.add(new FieldError(name, "invalid", name + " is not valid UTF-8 text"));
            } else if (name.equals(SubmissionKeys.FORM_FIELD) && !values[0].isBlank() && !SubmissionKeys.wellFormed(values[0])) {
                errors.add(new FieldError(name, "invalid", "the page's token is damaged: reload the page"));
            } else if (!values[0].isBlank()) {
                put(payload, name, values[0]);
            }
        });
        if (!"yes".equals(payload.remove("consent"))) {
            errors.add(new FieldError("consent", "consent_required", "consent to the processing of personal data is required"));
        }
        return payload;
    }

    /**
     * Written to the upload area, and as plain maps: the mapping language takes JSON-shaped input only. Dispatch moves
     * them into the evidence store just before the broker's commit; whatever is left when the exchange is done (a
     * refusal, a failure) is deleted then.
     */
    private List<Map<String, Object>> stage(List<MultipartFile> files, Exchange exchange) {
        List<Path> staged = new ArrayList<>();
        exchange.setProperty(HubExchange.STAGED_EVIDENCE, staged);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                evidence.discard(staged);
            }
        });
        List<Map<String, Object>> stored = new ArrayList<>();
        for (MultipartFile f : files) {
            try (InputStream in = f.getInputStream()) {
                EvidenceStore.Staged s = evidence.stage(f.getOriginalFilename(), f.getContentType(), in, maxAttachmentBytes);
                staged.add(s.path());
                stored.add(RecordJson.MAPPER.convertValue(s.evidence(), new TypeReference<Map<String, Object>>() { }));
            } catch (EvidenceStore.TooLarge e) {
                throw SubmissionRejected.of(413, ATTACHMENTS, "too_large", "each attachment may have at most " + maxAttachmentBytes + " bytes");
            } catch (IOException e) {
                throw SubmissionRejected.of(400, ATTACHMENTS, "invalid", "an attachment could not be read");
            }
        }
        return stored;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> payload, String dottedName, String value) {
        String[] parts = dottedName.split("\\.");
        Map<String, Object> at = payload;
        for (int i = 0; i < parts.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        at.put(parts[parts.length - 1], value);
    }
}
