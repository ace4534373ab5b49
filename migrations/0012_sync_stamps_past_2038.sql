-- Clock stamps keep their order in SQLite past January 19, 2038. A stamp's seconds fill the upper
-- 32 bits of its 64, so its top bit is set from that day on, and SQLite's signed integers would
-- sort those stamps before every earlier one (a change made then would never be sent). The store
-- now keeps each stamp with its top bit flipped (store/sync.rs, `Stored`); every stamp stored so far
-- predates that day (the bit is clear), so flipping it is subtracting 2^63.
UPDATE sync_device SET
    last_hlc = CASE WHEN last_hlc >= 0 THEN last_hlc - 9223372036854775807 - 1 ELSE last_hlc END,
    exported_hlc = CASE WHEN exported_hlc >= 0 THEN exported_hlc - 9223372036854775807 - 1 ELSE exported_hlc END;
UPDATE sync_fields SET hlc = hlc - 9223372036854775807 - 1 WHERE hlc >= 0;
UPDATE sync_peers SET last_hlc = last_hlc - 9223372036854775807 - 1 WHERE last_hlc >= 0;
UPDATE sync_overwritten SET
    kept_hlc = CASE WHEN kept_hlc >= 0 THEN kept_hlc - 9223372036854775807 - 1 ELSE kept_hlc END,
    lost_hlc = CASE WHEN lost_hlc >= 0 THEN lost_hlc - 9223372036854775807 - 1 ELSE lost_hlc END;
