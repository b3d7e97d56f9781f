package org.complainthub.complaint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The one normalised complaint record (DESIGN.md, DOMAIN.md 1.2), schemaVersion 1.
 * Its JSON form is published as src/main/resources/schema/complaint.schema.json; every record put on a queue validates
 * against it. Mutable on purpose: the pipeline fills it in step by step (map, enrich, classify, deduplicate).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"schemaVersion", "id", "channel", "sourceId", "replyRef", "receivedAt", "occurredAt", "customer", "subject",
        "description", "target", "demands", "amount", "evidence", "type", "grade", "department", "dueAt", "signals",
        "repeatOf", "threadOf", "reassignedFrom", "reopened", "raw"})
public class Complaint {

    public static final int SCHEMA_VERSION = 1;

    public record Customer(String name, String email, String phone, String handle, String address, String language) {
        public Customer withLanguage(String lang) {
            return new Customer(name, email, phone, handle, address, lang);
        }
    }

    public record Target(String order, String product, String store, String department, String staff) {
    }

    public record Amount(BigDecimal value, String currency) {
    }

    /** A piece of evidence kept outside the message: the location is a hub URL the desk can open, never a path. */
    public record Evidence(String fileName, String contentType, long size, String sha256, String location) {
    }

    /** The payload as the channel delivered it: a location, or an inline copy when it is small. */
    public record Raw(String contentType, String location, String inline, Long size) {
    }

    private int schemaVersion = SCHEMA_VERSION;
    private String id;
    private String channel;
    private String sourceId;
    /**
     * The channel's reference for answering in the customer's own thread (email: the customer's Message-ID): set by the
     * channel's mapping, so the outbound path never parses a channel's sourceId.
     */
    private String replyRef;
    private OffsetDateTime receivedAt;
    private OffsetDateTime occurredAt;
    private Customer customer;
    private String subject;
    private String description;
    private Target target;
    private List<Demand> demands = new ArrayList<>();
    private Amount amount;
    private List<Evidence> evidence = new ArrayList<>();
    private ComplaintType type;
    private Grade grade;
    private String department;
    private OffsetDateTime dueAt;
    private List<String> signals = new ArrayList<>();
    private String repeatOf;
    private String threadOf;
    /** Set only on a record the desk moved (a REASSIGNED status event): the department it was in before. */
    private String reassignedFrom;
    /** Set only on a record put on its queue again because the customer was not satisfied: the how-many-th reopening. */
    private Integer reopened;
    private Raw raw;

    public int getSchemaVersion() { return schemaVersion; }
    public void setSchemaVersion(int schemaVersion) { this.schemaVersion = schemaVersion; }
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getChannel() { return channel; }
    public void setChannel(String channel) { this.channel = channel; }
    public String getSourceId() { return sourceId; }
    public void setSourceId(String sourceId) { this.sourceId = sourceId; }
    public String getReplyRef() { return replyRef; }
    public void setReplyRef(String replyRef) { this.replyRef = replyRef; }
    public OffsetDateTime getReceivedAt() { return receivedAt; }
    public void setReceivedAt(OffsetDateTime receivedAt) { this.receivedAt = receivedAt; }
    public OffsetDateTime getOccurredAt() { return occurredAt; }
    public void setOccurredAt(OffsetDateTime occurredAt) { this.occurredAt = occurredAt; }
    public Customer getCustomer() { return customer; }
    public void setCustomer(Customer customer) { this.customer = customer; }
    public String getSubject() { return subject; }
    public void setSubject(String subject) { this.subject = subject; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public Target getTarget() { return target; }
    public void setTarget(Target target) { this.target = target; }
    public List<Demand> getDemands() { return demands; }
    public void setDemands(List<Demand> demands) { this.demands = demands == null ? new ArrayList<>() : demands; }
    public Amount getAmount() { return amount; }
    public void setAmount(Amount amount) { this.amount = amount; }
    public List<Evidence> getEvidence() { return evidence; }
    public void setEvidence(List<Evidence> evidence) { this.evidence = evidence == null ? new ArrayList<>() : evidence; }
    public ComplaintType getType() { return type; }
    public void setType(ComplaintType type) { this.type = type; }
    public Grade getGrade() { return grade; }
    public void setGrade(Grade grade) { this.grade = grade; }
    public String getDepartment() { return department; }
    public void setDepartment(String department) { this.department = department; }
    public OffsetDateTime getDueAt() { return dueAt; }
    public void setDueAt(OffsetDateTime dueAt) { this.dueAt = dueAt; }
    public List<String> getSignals() { return signals; }
    public void setSignals(List<String> signals) { this.signals = signals == null ? new ArrayList<>() : signals; }
    public String getRepeatOf() { return repeatOf; }
    public void setRepeatOf(String repeatOf) { this.repeatOf = repeatOf; }
    public String getThreadOf() { return threadOf; }
    public void setThreadOf(String threadOf) { this.threadOf = threadOf; }
    public String getReassignedFrom() { return reassignedFrom; }
    public void setReassignedFrom(String reassignedFrom) { this.reassignedFrom = reassignedFrom; }
    public Integer getReopened() { return reopened; }
    public void setReopened(Integer reopened) { this.reopened = reopened; }
    public Raw getRaw() { return raw; }
    public void setRaw(Raw raw) { this.raw = raw; }

    /** Subject and description together: the text the classifier and the language detector read. */
    public String text() {
        String s = subject == null ? "" : subject;
        String d = description == null ? "" : description;
        return s.isEmpty() ? d : d.isEmpty() ? s : s + "\n" + d;
    }
}
