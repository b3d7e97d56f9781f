package org.complainthub.hostile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hostile input and what the hub must make of it, as written in {@code hostile/<channel>/cases.yaml} (the format
 * is described in {@code hostile/README.md}). Bound by Jackson from YAML: every field is optional except name and
 * expect; an unknown key fails the load, so a typo in a case file is never a case that checks nothing.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class HostileCase {

    /** The outcomes a case may expect. */
    public enum Expect {
        /** refused as a whole: HTTP 4xx with the reason in the answer; a call-log file moved to error/ with the reason logged */
        reject,
        /** on complaints.quarantine with the reason (webhooks answer 200; a mail goes to the quarantine folder; a call-log row) */
        quarantine,
        /** a complaint (or {@link #complaints} of them) on the department queues, each record meeting {@link #hold} */
        accept,
        /** taken (2xx, a mail moved to the processed folder, a file to done/) and deliberately nothing queued */
        ignore
    }

    public String name;
    public Expect expect;
    /** The HTTP status the answer must have (HTTP channels; for a replay the first answer). */
    public Integer status;
    /** Text the reason must contain: the 4xx answer's body, the quarantine's reason property, the log line of error/. */
    public String reason;
    /** Why this outcome is right. Required for accept and ignore: a hostile input that is taken needs its argument. */
    public String why;
    /** The payload file in the channel's folder; default: the one file named {@code <name>.<ext>}. */
    public String file;
    /** A payload made at test time instead of a file (zip bombs, megabytes of header): {@link Generators}. */
    public JsonNode generate;
    /** How many complaints an accepted case queues (default 1). */
    public Integer complaints;
    /** What must hold of each queued record: JSON pointer -> expected text, or {equals|contains|notContains|matches|notMatches|absent|present|maxLength}. */
    public Map<String, JsonNode> hold = new LinkedHashMap<>();

    // ---- HTTP channels (web form, webhooks)
    public String method;
    public String path;
    /** The raw query string (webhooks add their signature parameters to it). */
    public String query;
    public String contentType;
    /** Extra request headers; {{text*n}} in a value repeats the text n times. */
    public Map<String, String> headers = new LinkedHashMap<>();
    /** The web form's fields (name -> value, or a list of values): the runner writes the multipart body. */
    public Map<String, JsonNode> form;
    /** The web form's files: {field, filename, contentType, file | generate | text}. */
    public List<Map<String, JsonNode>> files;
    /** Send the form as application/x-www-form-urlencoded instead of multipart. */
    public Boolean urlencoded;

    // ---- webhooks
    /** How the request is signed: valid (default), none, empty, forged, tampered, stale, future, doubled, truncated, sha1, hex, uppercase, no-prefix. */
    public String sign;
    /** WeChat: plain (default) or safe (the file is the plain XML, encrypted and signed at send time). */
    public String mode;
    /** Send the same request (same signature, timestamp and nonce) a second time: its answer, and no second complaint. */
    public Replay replay;
    /** Media the local stand-in for the platforms' media hosts serves for this case: path -> {contentType, file | generate}. */
    public Map<String, Map<String, JsonNode>> media;

    // ---- email
    /** Line ends of an .eml as written in the file (default: bare LF turned into CRLF, as a mail server stores them). */
    public Boolean asIs;
    /**
     * The address the complaint's acknowledgement must reach, alone and with a one-line subject (checked after all
     * cases, when the outbound path has sent it); no reply of any case may reach victim@example.org.
     */
    public String reply;

    // ---- hotline
    /** The call-log format's sub-folder (asterisk, freeswitch); default the channel's format (generic). */
    public String format;
    /** Rows a call-log file must have on complaints.quarantine: line number -> reason text. */
    public Map<String, String> rows;

    public static class Replay {
        public Integer status;
        public String reason;
    }

    // ---- set by the loader
    public String channel;
    public Path folder;

    public String displayName() {
        return channel + "/" + name + " -> " + expect;
    }

    public int expectedComplaints() {
        if (expect == Expect.accept || expect == Expect.quarantine && rows != null) {
            return complaints == null ? (expect == Expect.accept ? 1 : 0) : complaints;
        }
        return 0;
    }

    @Override
    public String toString() {
        return displayName();
    }
}
