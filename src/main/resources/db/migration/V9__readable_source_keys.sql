-- From V9 a source message whose "channel:id" fits source_key is claimed under that text, not its SHA-256 hash: the ids
-- of one export or one platform mostly come in sequence, so their claims sit side by side in the key's index instead of
-- one per page all over it (a batch of 200 hashed claims rewrote ~200 index pages at each commit). Longer ids are hashed
-- as before. Claims taken before V9 keep their hashed keys; while this table holds a row, the hub looks for the hashed
-- key of a readable one too, and moves the claim it finds to the readable key.
CREATE TABLE source_key_legacy (
    hashed_keys_before_v9  BOOLEAN PRIMARY KEY
);
INSERT INTO source_key_legacy SELECT DISTINCT TRUE FROM source_message;
