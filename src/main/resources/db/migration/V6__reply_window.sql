-- Social platforms only let a business answer freely for a while after the customer's last message (WhatsApp and
-- Messenger 24 h, WeChat customer-service messages 48 h). The window counts from the complaint's receivedAt, or from a
-- later follow-up on the same channel: this is the later of the two.
ALTER TABLE complaint_contact ADD COLUMN last_message_at TIMESTAMP WITH TIME ZONE;
UPDATE complaint_contact SET last_message_at = received_at;
