-- A customer's contact link lasts hub.dedup.retention after the customer last used that contact (not after it was first
-- linked): a customer who keeps coming back stays one customer; one not seen for the retention is forgotten.
ALTER TABLE customer_contact ADD COLUMN last_seen_at TIMESTAMP WITH TIME ZONE;
UPDATE customer_contact SET last_seen_at = linked_at;
ALTER TABLE customer_contact ALTER COLUMN last_seen_at SET NOT NULL;
CREATE INDEX customer_contact_last_seen ON customer_contact (last_seen_at);
