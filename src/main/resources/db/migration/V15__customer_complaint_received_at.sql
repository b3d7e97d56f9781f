-- The expiry job (dedup/ExpiredClaims) removes each complaint's matter past hub.dedup.retention (it holds up to 500
-- characters of normalised complaint text: personal data at rest) in chunks by received time.
CREATE INDEX customer_complaint_received ON customer_complaint (received_at);
