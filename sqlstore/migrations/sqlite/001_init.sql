-- The issuer's records: one row per award key. record is the Record as
-- JSON without its credential, which is kept apart, byte for byte as it
-- was signed.
CREATE TABLE openbadges_records (
	award_key      TEXT NOT NULL PRIMARY KEY,
	achievement_id TEXT NOT NULL,
	state          TEXT NOT NULL,
	record         BLOB NOT NULL,
	credential     BLOB
) STRICT;
CREATE INDEX openbadges_records_achievement ON openbadges_records (achievement_id, award_key);
CREATE INDEX openbadges_records_state ON openbadges_records (state, award_key);

-- The review queue: seq orders items as they were submitted; resolution
-- is NULL while an item is pending, and at most one pending item has a
-- given non-empty award key.
CREATE TABLE openbadges_review (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	id         TEXT NOT NULL UNIQUE,
	award_key  TEXT NOT NULL,
	item       BLOB NOT NULL,
	resolution BLOB
) STRICT;
CREATE UNIQUE INDEX openbadges_review_pending ON openbadges_review (award_key)
	WHERE resolution IS NULL AND award_key <> '';
CREATE INDEX openbadges_review_unresolved ON openbadges_review (seq)
	WHERE resolution IS NULL;

-- The status lists, each in the JSON form status.List.MarshalJSON writes.
CREATE TABLE openbadges_status_lists (
	url  TEXT NOT NULL PRIMARY KEY,
	list BLOB NOT NULL
) STRICT;
