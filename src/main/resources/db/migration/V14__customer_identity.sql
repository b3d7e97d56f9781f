-- One customer across channels (issue 15). A contact is the SHA-256 (hex) of a normalised contact the customer stated
-- or the platform vouched for: "email:<lower-case address>", "phone:<E.164>", "<channel>:<handle>" (never free text).
-- Contacts given together in one record belong to one customer; a record that joins two known customers merges them.
CREATE TABLE customer_contact (
    contact_key   VARCHAR(64)  PRIMARY KEY,
    customer_id   VARCHAR(64)  NOT NULL,
    linked_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customer_contact_customer ON customer_contact (customer_id);

-- Each new complaint of a customer with its matter (order, product, the normalised text bounded to 500 characters),
-- written when it is marked dispatched; read at intake to recognise a repeat complaint (repeatOf) within hub.repeat.window.
CREATE TABLE customer_complaint (
    complaint_id  VARCHAR(40)  PRIMARY KEY,
    customer_id   VARCHAR(64)  NOT NULL,
    channel       VARCHAR(32)  NOT NULL,
    department    VARCHAR(64)  NOT NULL,
    grade         VARCHAR(1)   NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    order_no      VARCHAR(64),
    product_no    VARCHAR(200),
    text_sketch   VARCHAR(500),
    repeat_of     VARCHAR(40)
);
CREATE INDEX customer_complaint_customer ON customer_complaint (customer_id, received_at);

-- The earlier complaint a repeat names, for its acknowledgement.
ALTER TABLE complaint_contact ADD COLUMN repeat_of VARCHAR(40);
