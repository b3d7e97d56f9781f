-- V9 kept claims from before it under their hashed keys and noted it in source_key_legacy, so that the hub looked for
-- a hashed key too. No released version ever wrote such claims: the table and that lookup go. (Ids too long for a
-- readable key are still hashed, as V9 says.)
DROP TABLE source_key_legacy;
