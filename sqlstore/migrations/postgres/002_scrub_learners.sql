-- Records written before version 2 kept the learner's email address and
-- name; an issuer needs only the award key and the learner's id (see
-- issuer.Record). Blank them in every record that has them.
UPDATE openbadges_records
SET record = convert_to(jsonb_set(jsonb_set(jsonb_set(convert_from(record, 'UTF8')::jsonb,
		'{learner,Email}', '""'),
		'{learner,Name}', '""'),
		'{learner,Plain}', 'false')::text, 'UTF8')
WHERE convert_from(record, 'UTF8')::jsonb -> 'learner' ->> 'Email' <> ''
	OR convert_from(record, 'UTF8')::jsonb -> 'learner' ->> 'Name' <> '';
