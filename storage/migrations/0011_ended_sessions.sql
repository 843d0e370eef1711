-- UI sessions signed out before they expired. A session cookie is stateless (signed with its token's stored
-- hash, so every query instance can check it); signing out lists its signature here and the query API refuses
-- it from then on. A row is useless once the cookie expired, so it goes with it.
CREATE TABLE IF NOT EXISTS {{db}}.ended_sessions {{on_cluster}}
(
    Signature String,
    ExpiresAt DateTime('UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree
ORDER BY Signature
TTL ExpiresAt;
