-- Who is sending a message now (issue 17): a sender claims (complaint, kind) before it sends and the claim holds for
-- hub.outbound.send-lease, so a copy of the request handled at the same time on another node (a request the broker
-- delivered again while the first node was still sending, after a failover or a missed ping) waits instead of sending
-- it twice; outbound_sent then says it went. A claim left by a crash is taken over once the lease has passed.
CREATE TABLE outbound_claim (
    complaint_id  VARCHAR(40)  NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (complaint_id, kind)
);
