-- The record's replyRef (the channel's reference for answering in the customer's own thread; email: the customer's
-- Message-ID), kept for the answers sent later, so the outbound path no longer reads it out of an email's sourceId.
ALTER TABLE complaint_contact ADD COLUMN reply_ref VARCHAR(998);
-- Complaints recorded before V11: an email's sourceId was "<message-id> <content hash>" (the last time anything reads
-- that format outside the email channel).
UPDATE complaint_contact SET reply_ref = SUBSTRING(source_id FROM 1 FOR POSITION(' ' IN source_id) - 1)
    WHERE channel = 'email' AND source_id LIKE '<%> %';
