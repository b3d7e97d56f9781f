-- Reference numbers (C-YYYYMMDD-NNNNNN) come from this sequence in blocks of 100: each node takes a block with one
-- round trip. Keep INCREMENT BY equal to ReferenceNumbers.BLOCK.
CREATE SEQUENCE complaint_reference_seq START WITH 1 INCREMENT BY 100;
