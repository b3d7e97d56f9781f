-- Source messages claimed together (a batch of call-log rows, a group of webhooks or mails committed together) are
-- marked dispatched together: one row in dispatched_batch instead of an update of each claim, whose keys (hashes)
-- lie all over the table's pages. A claim resumed or taken on its own is still marked in its own dispatched_at.
ALTER TABLE source_message ADD COLUMN batch_id BIGINT;

CREATE TABLE dispatched_batch (
    batch_id       BIGINT PRIMARY KEY,
    dispatched_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What SourceMessages reads: each claim with the time it was dispatched, if it was.
CREATE VIEW source_message_state AS
    SELECT s.source_key, s.channel, s.complaint_id, s.received_at, COALESCE(s.dispatched_at, b.dispatched_at) AS dispatched_at
    FROM source_message s LEFT JOIN dispatched_batch b ON b.batch_id = s.batch_id;
