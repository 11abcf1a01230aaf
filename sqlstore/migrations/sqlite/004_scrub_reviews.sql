-- A review item resolved before version 4 kept the learner's email
-- address and name; once a person has decided, nothing needs them (see
-- issuer.ReviewQueue). Blank them in every resolved item that has them.
UPDATE openbadges_review
SET item = CAST(json_set(CAST(item AS TEXT),
		'$.submission.Learner.Email', '',
		'$.submission.Learner.Name', '',
		'$.submission.Learner.Plain', json('false')) AS BLOB)
WHERE resolution IS NOT NULL
	AND (json_extract(CAST(item AS TEXT), '$.submission.Learner.Email') <> ''
		OR json_extract(CAST(item AS TEXT), '$.submission.Learner.Name') <> '');
