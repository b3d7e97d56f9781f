package org.complainthub.classify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.ComplaintType;
import org.complainthub.complaint.Grade;

/**
 * One hand-labelled complaint, as in mappings/rules/labelled-complaints.yaml (format in mappings/rules/README.md), the
 * held-out set and the desk's exported corrections. Fields the classifier does not use (kind, industry, a correction's
 * department) are read and ignored.
 *
 * @param id        unique within its file (L001, H001, R42 ...)
 * @param language  zh or en
 * @param text      subject and description as the customer wrote them
 * @param type      the expected type
 * @param grade     the expected grade
 * @param knownType a type the channel already knew, or null
 * @param amount    an amount from a separate form field, or null
 * @param note      why it is labelled so, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LabelledComplaint(String id, String language, String text, ComplaintType type, Grade grade,
                                ComplaintType knownType, Complaint.Amount amount, String note) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Reads a labelled file (a YAML list); an empty file is an empty list. */
    public static List<LabelledComplaint> read(Path file) {
        try {
            List<LabelledComplaint> items = YAML.readValue(Files.readString(file),
                    new TypeReference<List<LabelledComplaint>>() { });
            return items == null ? List.of() : items;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read labelled complaints from " + file + ": " + e.getMessage(), e);
        }
    }
}
