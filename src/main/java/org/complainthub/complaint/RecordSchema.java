package org.complainthub.complaint;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The published JSON Schema of the complaint record (classpath:schema/complaint.schema.json). The dispatcher writes
 * every record through {@link #toValidJson}, so nothing reaches a queue that the schema does not allow.
 */
@Component
public class RecordSchema {

    public static final String LOCATION = "/schema/complaint.schema.json";

    private final JsonSchema schema;
    private final JsonNode tree;

    public RecordSchema() {
        try (InputStream in = RecordSchema.class.getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is missing from the classpath");
            }
            tree = RecordJson.MAPPER.readTree(in);
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schema's maxLength of a text field, by its dotted path ("subject", "customer.name"): the one source of each
     * length limit, so that the intake's validator refuses exactly what the schema would.
     */
    public int maxLength(String field) {
        JsonNode node = tree;
        for (String name : field.split("\\.")) {
            node = node.path("properties").path(name);
        }
        if (!node.path("maxLength").canConvertToInt()) {
            throw new IllegalArgumentException("the record schema gives " + field + " no maxLength");
        }
        return node.path("maxLength").intValue();
    }

    /** Problems with a record in JSON form; empty when it is valid. */
    public Set<ValidationMessage> problems(String json) {
        try {
            JsonNode tree = RecordJson.MAPPER.readTree(json);
            return schema.validate(tree);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    /** The record as JSON, or an exception naming the violations (a bug in a mapping or the core, never the customer's). */
    public String toValidJson(Complaint complaint) {
        // one tree, checked and then written: no JSON text parsed back
        JsonNode tree = RecordJson.MAPPER.valueToTree(complaint);
        Set<ValidationMessage> problems = schema.validate(tree);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("complaint " + complaint.getId() + " does not match the record schema: "
                    + problems.stream().map(ValidationMessage::getMessage).toList());
        }
        return RecordJson.write(tree);
    }
}
