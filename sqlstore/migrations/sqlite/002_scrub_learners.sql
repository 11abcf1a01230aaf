-- Records written before version 2 kept the learner's email address and
-- name; an issuer needs only the award key and the learner's id (see
-- issuer.Record). Blank them in every record that has them.
UPDATE openbadges_records
SET record = CAST(json_set(CAST(record AS TEXT),
		'$.learner.Email', '',
		'$.learner.Name', '',
		'$.learner.Plain', json('false')) AS BLOB)
WHERE json_extract(CAST(record AS TEXT), '$.learner.Email') <> ''
	OR json_extract(CAST(record AS TEXT), '$.learner.Name') <> '';
