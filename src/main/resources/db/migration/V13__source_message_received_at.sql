-- Source messages are remembered for hub.dedup.retention (dedup/ExpiredClaims): the job finds the claims and the
-- dispatched batches past it by their time. Both grow at the end (times in order), so the indexes cost intake little.
CREATE INDEX source_message_received_at ON source_message (received_at);
CREATE INDEX dispatched_batch_dispatched_at ON dispatched_batch (dispatched_at);
