-- The issuer's records: one row per award key. record is the Record as
-- JSON without its credential, which is kept apart, byte for byte as it
-- was signed (bytea, not jsonb, which would rewrite it). Keys compare
-- byte by byte (COLLATE "C"), as Go's strings do.
CREATE TABLE openbadges_records (
	award_key      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	achievement_id TEXT COLLATE "C" NOT NULL,
	state          TEXT NOT NULL,
	record         BYTEA NOT NULL,
	credential     BYTEA
);
CREATE INDEX openbadges_records_achievement ON openbadges_records (achievement_id, award_key);
CREATE INDEX openbadges_records_state ON openbadges_records (state, award_key);

-- The review queue: seq orders items as they were submitted; resolution
-- is NULL while an item is pending, and at most one pending item has a
-- given non-empty award key.
CREATE TABLE openbadges_review (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	award_key  TEXT NOT NULL,
	item       BYTEA NOT NULL,
	resolution BYTEA
);
CREATE UNIQUE INDEX openbadges_review_pending ON openbadges_review (award_key)
	WHERE resolution IS NULL AND award_key <> '';
CREATE INDEX openbadges_review_unresolved ON openbadges_review (seq)
	WHERE resolution IS NULL;

-- The status lists, each in the JSON form status.List.MarshalJSON writes.
CREATE TABLE openbadges_status_lists (
	url  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	list BYTEA NOT NULL
);
