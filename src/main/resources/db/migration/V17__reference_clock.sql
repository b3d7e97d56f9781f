-- When the hub last took a block of reference numbers (ReferenceNumbers): a hub started on a restored backup
-- (restored-from-backup in its data directory) moves the sequence past every number the original may have issued
-- since then, so no reference is ever issued twice (complaint/RestoredBackup). NULL until the first block is taken.
CREATE TABLE reference_clock (
    id            INT PRIMARY KEY,
    last_block_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO reference_clock (id, last_block_at) VALUES (1, NULL);
