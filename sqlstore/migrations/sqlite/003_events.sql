-- Version 3 keeps every change of a record's state (issuer.Record's
-- History) as a row of openbadges_events, written in the same transaction
-- as the record, for the Insights queries: counts per achievement, period
-- and state, and the export of the decisions. Times are Unix nanoseconds.
-- An event is identified by its award key, time and state, so that writing
-- a record's history again adds nothing. achievement_id and learner_id are
-- the record's, copied to each of its events. The rows of the records
-- written before version 3 are filled in by the program after this file
-- (see DB.backfillEvents), as SQLite reads no nanoseconds from a time.
CREATE TABLE openbadges_events (
	at             INTEGER NOT NULL,
	award_key      TEXT NOT NULL,
	state          TEXT NOT NULL,
	from_state     TEXT NOT NULL,
	by_whom        TEXT NOT NULL,
	achievement_id TEXT NOT NULL,
	learner_id     TEXT NOT NULL,
	PRIMARY KEY (at, award_key, state)
) STRICT, WITHOUT ROWID;
-- A record's events, to rewrite them with the record.
CREATE INDEX openbadges_events_award_key ON openbadges_events (award_key);
-- One achievement's decisions in time order (the export of one
-- achievement).
CREATE INDEX openbadges_events_achievement ON openbadges_events (achievement_id, at);
-- Counts: the changes into a state of an achievement in a range of time,
-- counted in the index; and by reviewer, only the changes a person decided.
CREATE INDEX openbadges_events_counts ON openbadges_events (achievement_id, state, at, from_state);
CREATE INDEX openbadges_events_reviewers ON openbadges_events (achievement_id, state, by_whom, at, from_state)
	WHERE by_whom <> '';

-- Time to award: when the award key's first submission came
-- (Record.Submitted) and when it was first awarded (Record.FirstAward),
-- NULL for none.
ALTER TABLE openbadges_records ADD COLUMN submitted INTEGER;
ALTER TABLE openbadges_records ADD COLUMN first_award INTEGER;
CREATE INDEX openbadges_records_first_award ON openbadges_records (achievement_id, first_award, submitted)
	WHERE first_award IS NOT NULL;
