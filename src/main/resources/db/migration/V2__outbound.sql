-- The contact ledger: how to reach the customer of each complaint, and where the complaint stands, so an event that
-- carries only the complaint id (overdue, resolved) can be answered on the channel the customer used.
CREATE TABLE complaint_contact (
    complaint_id        VARCHAR(40)  PRIMARY KEY,
    channel             VARCHAR(32)  NOT NULL,
    name                VARCHAR(100),
    email               VARCHAR(254),
    phone               VARCHAR(20),
    handle              VARCHAR(200),
    language            VARCHAR(2)   NOT NULL,
    subject             VARCHAR(998),
    grade               VARCHAR(1)   NOT NULL,
    department          VARCHAR(64)  NOT NULL,
    received_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    resolved_at         TIMESTAMP WITH TIME ZONE,
    resolution          VARCHAR(2000),
    agent               VARCHAR(100),
    overdue_at          TIMESTAMP WITH TIME ZONE,
    opted_out_at        TIMESTAMP WITH TIME ZONE,
    satisfaction_score  INTEGER,
    satisfaction_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX complaint_contact_due ON complaint_contact (status, overdue_at, due_at);

-- Addresses that bounced our mail or were refused by a provider: never written to again.
CREATE TABLE undeliverable_address (
    address    VARCHAR(254) PRIMARY KEY,
    reason     VARCHAR(200) NOT NULL,
    marked_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every message sent: one of each kind per complaint, and the per-recipient rate limit (recipient as a hash).
CREATE TABLE outbound_sent (
    complaint_id    VARCHAR(40)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    transport       VARCHAR(16)  NOT NULL,
    recipient_hash  VARCHAR(64)  NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (complaint_id, kind)
);
CREATE INDEX outbound_sent_recipient ON outbound_sent (recipient_hash, sent_at);
