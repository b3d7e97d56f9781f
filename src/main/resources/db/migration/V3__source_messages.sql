-- Source messages the hub has taken (an email's Message-ID and content hash, a call id, a platform message id), with
-- the reference number given on first sight. A redelivered source message gets the same reference again: if it was
-- dispatched before, nothing is sent; if the hub stopped between taking it and dispatching it, it is dispatched with
-- that same reference, and the broker's duplicate detection drops a copy that did make it. Nothing twice, nothing lost.
CREATE TABLE source_message (
    source_key     VARCHAR(64)  PRIMARY KEY,
    channel        VARCHAR(32)  NOT NULL,
    complaint_id   VARCHAR(40)  NOT NULL,
    received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    dispatched_at  TIMESTAMP WITH TIME ZONE
);

-- The channel's own message id of each complaint, so an acknowledgement by email can answer in the customer's thread.
ALTER TABLE complaint_contact ADD COLUMN source_id VARCHAR(998);
