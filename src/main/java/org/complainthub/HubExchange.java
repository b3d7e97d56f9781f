package org.complainthub;

/**
 * The hub's named exchange properties, all of them: the contract between its routes (YAML, where they are written
 * {@code ${exchangeProperty.hubX}} or {@code setProperty name: hubX}) and its beans. Each is set by one side and read
 * by the other, within one exchange; none crosses a queue (what crosses a queue is a JMS property, documented with the
 * queues in the README). {@code HubExchangeTest} fails when a route or a class uses a {@code hub...} property that is
 * not here.
 * <p>
 * What a channel route may read after {@code kamelet:complaint-intake} (documented with the Kamelet's parameters):
 * {@link #DUPLICATE_OF}. What a channel route sets for the Kamelet: nothing but its parameters.
 */
public final class HubExchange {

    private HubExchange() {
    }

    // ---- the core (intake, dispatch) ----

    /** The channel's name while its complaint is in the core: set from the Kamelet's {@code channel} parameter. */
    public static final String CHANNEL = "hubChannel";
    /** The id of the complaint a source message already became: set by dispatch instead of queueing it again. */
    public static final String DUPLICATE_OF = "hubDuplicateOf";
    /** The form's uploads staged in the data folder (List&lt;Path&gt;), kept in the evidence store at dispatch. */
    public static final String STAGED_EVIDENCE = "hubStagedEvidence";

    // ---- webhook channels (kamelet:webhook-intake, camel/social-message.camel.yaml) ----

    /** The platform's name (hub.webhooks.&lt;platform&gt;), for each message of its request. */
    public static final String WEBHOOK_PLATFORM = "hubWebhookPlatform";
    /** The request's raw bytes, as signed. */
    public static final String WEBHOOK_BODY = "hubWebhookBody";
    /** WeChat safe mode: the decrypted message; plain mode: the body. */
    public static final String WEBHOOK_PLAIN = "hubWebhookPlain";
    /** true when the gate answered the request itself (a handshake): no messages to take. */
    public static final String WEBHOOK_ANSWERED = "hubWebhookAnswered";
    /** One message's outcome: complaint, satisfaction or duplicate. */
    public static final String SOCIAL_OUTCOME = "hubSocialOutcome";
    /** The channel the message's platform gave it (messenger, instagram, whatsapp, line ...). */
    public static final String SOCIAL_CHANNEL = "hubSocialChannel";
    /** A satisfaction score's event (Map) for complaints.events. */
    public static final String SOCIAL_EVENT = "hubSocialEvent";
    /** The contact-ledger row of the complaint a score is for. */
    public static final String SOCIAL_CONTACT = "hubSocialContact";
    /** The platform's own event of the message (JSON text): the record's raw copy. */
    public static final String SOCIAL_MESSAGE = "hubSocialMessage";
    /**
     * The neutral message as the platform's mapping gave it (Map), before anything was added to it: what a quarantine
     * keeps, so the message can be taken again (the quarantine replay).
     */
    public static final String SOCIAL_PAYLOAD = "hubSocialPayload";
    /** The claim of a score's source message, marked with the score. */
    public static final String SOCIAL_SCORE_CLAIM = "hubSocialScoreClaim";

    // ---- the email channel (routes/email.camel.yaml) ----

    /** The mail being read (FetchedMail). */
    public static final String MAIL = "hubMail";
    /** What became of the mail: the folder it moves to. */
    public static final String EMAIL_OUTCOME = "hubEmailOutcome";
    /** Why a mail was quarantined. */
    public static final String EMAIL_REASON = "hubEmailReason";
    /** The decoded mail's source id (Message-ID and content hash), once known: kept with its quarantined copy. */
    public static final String EMAIL_SOURCE_ID = "hubEmailSourceId";
    /** true when the mailbox has more mail than one poll took. */
    public static final String MAILBOX_MORE = "hubMailboxMore";
    /** How many mails the folder held when the batch was fetched (the channel's backlog). */
    public static final String MAILBOX_COUNT = "hubMailboxCount";

    // ---- the hotline channel (routes/hotline.camel.yaml) ----

    /** The file's call-log format (hub.hotline.formats.&lt;name&gt;). */
    public static final String HOTLINE_FORMAT = "hubHotlineFormat";
    /** The folder the file moves to when done: done or failed. */
    public static final String HOTLINE_OUTCOME = "hubHotlineOutcome";
    /** The open call-log reader of the file. */
    public static final String CALL_LOG = "hubCallLog";

    // ---- outbound ----

    /** The request being sent (OutboundRequest). */
    public static final String OUTBOUND_REQUEST = "hubOutboundRequest";
    /** The transport chosen for it: email, sms or a chat platform. */
    public static final String OUTBOUND_TRANSPORT = "hubOutboundTransport";
    /** The guard's decision for it (OutboundDecision). */
    public static final String OUTBOUND_DECISION = "hubOutboundDecision";
    /** The queue a failed send goes to: back to the send queue (scheduled) or the dead queue. */
    public static final String FAILED_TO = "hubFailedTo";
    /** A chat platform's request body, and the base URL it goes to. */
    public static final String CHAT_MESSAGE = "hubChatMessage";
    public static final String CHAT_BASE_URL = "hubChatBaseUrl";
    /** A status event from the desk (Map), and the event as it came (for its quarantine). */
    public static final String STATUS_EVENT = "hubStatusEvent";
    public static final String ORIGINAL_EVENT = "hubOriginalEvent";
    /** The complaint an overdue event is for. */
    public static final String OVERDUE_ID = "hubOverdueId";
    /** Its duplicate-detection key: the id, and the round after a reopening (id:round). */
    public static final String OVERDUE_KEY = "hubOverdueKey";
    /** Whether an interim message is due for a complaint (its grade asks for one). */
    public static final String INTERIM = "hubInterim";
    /** The customer pages: the contact-ledger row, the page to show, the satisfaction event to publish. */
    public static final String CONTACT = "hubContact";
    public static final String PAGE = "hubPage";
    public static final String SATISFACTION_EVENT = "hubSatisfactionEvent";
    /** What a status event changes (StatusEvents.Change), marked after its messages are queued; null: nothing. */
    public static final String STATUS_CHANGE = "hubStatusChange";
    /** The queue one of a status event's messages goes to. */
    public static final String STATUS_SEND_TO = "hubStatusSendTo";
    /**
     * A REOPENED status event the hub puts on complaints.status itself (a low score, an unsatisfied reply: JSON), and its
     * duplicate-detection id.
     */
    public static final String REOPEN_EVENT = "hubReopenEvent";
    public static final String REOPEN_ID = "hubReopenId";
    /** The complaint a CALLBACK_DUE event is for. */
    public static final String CALLBACK_ID = "hubCallbackId";

    // ---- the quarantine replay (org.complainthub.ops, camel/quarantine.camel.yaml) ----

    /** The mapping file a replayed payload is mapped with (its channel's). */
    public static final String REPLAY_MAPPING = "hubReplayMapping";
}
