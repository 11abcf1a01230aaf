-- Time to award is read from an index that lists each achievement's times
-- to award in order, so that a percentile is a walk of the index rather
-- than a sort of every award (a sort of half a million took seconds).
-- time_to_award is how long after the award key's first submission
-- (Record.Submitted) its first award came (Record.FirstAward), in
-- nanoseconds, never less than 0; NULL for none. It replaces submitted.
DROP INDEX openbadges_records_first_award;
ALTER TABLE openbadges_records ADD COLUMN time_to_award INTEGER;
UPDATE openbadges_records SET time_to_award = max(first_award - submitted, 0)
WHERE first_award IS NOT NULL AND submitted IS NOT NULL;
ALTER TABLE openbadges_records DROP COLUMN submitted;
CREATE INDEX openbadges_records_time_to_award ON openbadges_records (achievement_id, time_to_award, first_award)
	WHERE time_to_award IS NOT NULL;
