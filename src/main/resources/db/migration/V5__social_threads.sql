-- Social accounts (channel + platform user id) and the complaint their messages currently follow: written when a
-- complaint from a social channel is dispatched (the outbound ledger is written later, asynchronously), read at
-- intake to make a message within the follow-up window a follow-up (threadOf) rather than a new complaint.
CREATE TABLE social_thread (
    channel       VARCHAR(32)  NOT NULL,
    handle        VARCHAR(200) NOT NULL,
    complaint_id  VARCHAR(40)  NOT NULL,
    department    VARCHAR(64)  NOT NULL,
    last_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (channel, handle)
);
-- a follow-up goes to its complaint's department, known here before the ledger has it
CREATE INDEX social_thread_complaint ON social_thread (complaint_id);
