-- Ignoring an issue can also end by time ("for 2 hours") or by the number of users it affects ("until 50 users"),
-- besides by its event count. IgnoreUntil 0 = no time limit; readers treat an ignored issue whose time has passed
-- as unresolved, and the next event records that it came back (activity "unignored").
ALTER TABLE {{db}}.issue_status {{on_cluster}}
    ADD COLUMN IF NOT EXISTS IgnoreUntil DateTime64(3, 'UTC') DEFAULT 0 AFTER IgnoreUntilEvents,
    ADD COLUMN IF NOT EXISTS IgnoreUntilUsers UInt64 DEFAULT 0 AFTER IgnoreUntil;
