-- The global send budget per transport counts the messages of the last hour (OutboundGuard).
CREATE INDEX outbound_sent_transport ON outbound_sent (transport, sent_at);
