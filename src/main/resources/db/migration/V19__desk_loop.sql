-- The desk's loop (issue 18): where a complaint stands after a reopening and a call-back, in the contact ledger.
-- reopened: how many times the customer's dissatisfaction reopened it (0: never); it numbers the rounds, so a second
-- thank-you, a second satisfaction score and a second call-back after a reopening are distinct from the first.
-- callback_at: when the CALLBACK_DUE event of the current round went to the desk (NULL: not yet; a reopening clears it).
-- status is now one of OPEN, RESOLVED, CLOSED (closed without a thank-you: no call-back) and REOPENED (open again:
-- the overdue check applies to it as to OPEN).
ALTER TABLE complaint_contact ADD COLUMN reopened INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE complaint_contact ADD COLUMN callback_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX complaint_contact_callback ON complaint_contact (status, callback_at, resolved_at);
