package org.complainthub.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.complainthub.intake.SubmissionRejected;
import org.springframework.stereotype.Component;

/**
 * Reads a JSON request body safely: the content type checked first (415), the size bounded while reading, before
 * anything parses it (413), then parsed strictly into an object (400 otherwise): UTF-8 only and nothing else (the
 * parser alone would guess UTF-16 or take an overlong encoding of "/"), duplicate keys refused, and nothing after the
 * object (a second value would be a second, smuggled submission).
 */
@Component
public class JsonBodies {

    private static final ObjectMapper STRICT = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public Map<String, Object> read(Exchange exchange, int maxBytes) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase();
        String mediaType = type.split(";", 2)[0].strip();
        if (!(mediaType.equals("application/json") || mediaType.endsWith("+json"))
                || type.contains("charset=") && !type.matches(".*charset=\"?utf-8\"?.*")) {
            throw SubmissionRejected.of(415, "", "unsupported_type", "send application/json in UTF-8");
        }
        return object(bounded(exchange, maxBytes));
    }

    /**
     * The request body as sent, read at most {@code maxBytes}: 413 over it (by Content-Length, or while reading, before
     * anything hashes or parses it), 400 when empty. The route must read the body as a stream (STACK.md 15).
     */
    public static byte[] bounded(Exchange exchange, int maxBytes) {
        Long declared = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (InvalidPayloadException e) {
            throw SubmissionRejected.of(400, "", "required", "the body is empty"); // no body at all
        } catch (IOException e) {
            throw SubmissionRejected.of(400, "", "invalid", "the body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        jakarta.servlet.http.HttpServletRequest request = exchange.getMessage()
                .getHeader("CamelHttpServletRequest", jakarta.servlet.http.HttpServletRequest.class);
        if (request != null && request.getAttribute(RequestBodyLimit.CUT) != null) {
            throw SubmissionRejected.of(413, "", "too_large", "the body is larger than hub.http.max-body-bytes");
        }
        if (bytes.length == 0) {
            throw SubmissionRejected.of(400, "", "required", "the body is empty");
        }
        return bytes;
    }

    /** A JSON object, parsed strictly (duplicate keys refused, nesting bounded); 400 otherwise. */
    public static Map<String, Object> object(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw SubmissionRejected.of(400, "", "invalid", "the body is not valid UTF-8 (JSON is sent in UTF-8)");
        }
        try {
            Object tree = STRICT.readValue(bytes, Object.class);
            if (!(tree instanceof Map)) {
                throw SubmissionRejected.of(400, "", "invalid", "the body must be a JSON object");
            }
            @SuppressWarnings("unchecked") // Jackson reads a JSON object as a LinkedHashMap with String keys
            Map<String, Object> object = (Map<String, Object>) tree;
            return object;
        } catch (JsonProcessingException e) {
            throw SubmissionRejected.of(400, "", "invalid", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw SubmissionRejected.of(400, "", "invalid", "the body could not be read");
        }
    }

    private static SubmissionRejected tooLarge(int max) {
        return SubmissionRejected.of(413, "", "too_large", "the body is larger than " + max + " bytes");
    }
}
