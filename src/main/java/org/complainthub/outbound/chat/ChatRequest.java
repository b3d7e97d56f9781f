package org.complainthub.outbound.chat;

import java.util.Map;

/**
 * One HTTP request to a platform's send API: POST {@code baseUrl + path (? query)} with a JSON body.
 *
 * @param authorization the Authorization header, or null when the credential is in the path or query
 */
public record ChatRequest(String path, String query, String authorization, Map<String, Object> body) {
}
