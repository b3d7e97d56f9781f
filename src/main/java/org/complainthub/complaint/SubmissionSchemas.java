package org.complainthub.complaint;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.complainthub.intake.FieldError;
import org.complainthub.intake.SubmissionRejected;
import org.springframework.stereotype.Component;

/**
 * Checks a message against a JSON Schema and turns each violation into a per-field error the form can show (unknown
 * fields, wrong types, too long, missing): what a channel received, against the schema in its channel-config folder,
 * before mapping; the desk's status events (outbound), against the hub's event schema. Core: every stage uses it.
 */
@Component
public class SubmissionSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public Object check(Object body, String schemaFile) {
        JsonSchema schema = schemas.computeIfAbsent(schemaFile, SubmissionSchemas::load);
        JsonNode tree = RecordJson.MAPPER.valueToTree(body);
        Set<ValidationMessage> problems = schema.validate(tree);
        if (!problems.isEmpty()) {
            throw SubmissionRejected.badRequest(fieldErrors(problems));
        }
        return body;
    }

    /** One error per field, in a stable order. */
    public static List<FieldError> fieldErrors(Set<ValidationMessage> problems) {
        return problems.stream().map(SubmissionSchemas::fieldError)
                .sorted(Comparator.comparing(FieldError::field)).distinct().toList();
    }

    private static FieldError fieldError(ValidationMessage m) {
        String at = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        String property = m.getProperty();
        String field = property == null || property.isEmpty() ? at : at.isEmpty() ? property : at + "." + property;
        String code = switch (m.getType()) {
            case "additionalProperties" -> "unknown_field";
            case "required" -> "required";
            case "minLength" -> "required";
            case "maxLength" -> "too_long";
            case "maxItems" -> "too_many";
            default -> "invalid";
        };
        return new FieldError(field, code, m.getMessage().replaceFirst("^\\$\\.?", ""));
    }

    /** A file (channel-config/...) or, with the prefix classpath:, a schema the hub ships. */
    private static JsonSchema load(String file) {
        try (InputStream in = file.startsWith("classpath:")
                ? SubmissionSchemas.class.getResourceAsStream("/" + file.substring("classpath:".length()))
                : Files.newInputStream(Path.of(file))) {
            if (in == null) {
                throw new IOException("not found");
            }
            return FACTORY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + file, e);
        }
    }
}
