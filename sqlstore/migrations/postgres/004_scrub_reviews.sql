-- A review item resolved before version 4 kept the learner's email
-- address and name; once a person has decided, nothing needs them (see
-- issuer.ReviewQueue). Blank them in every resolved item that has them.
UPDATE openbadges_review
SET item = convert_to(jsonb_set(jsonb_set(jsonb_set(convert_from(item, 'UTF8')::jsonb,
		'{submission,Learner,Email}', '""'),
		'{submission,Learner,Name}', '""'),
		'{submission,Learner,Plain}', 'false')::text, 'UTF8')
WHERE resolution IS NOT NULL
	AND (convert_from(item, 'UTF8')::jsonb -> 'submission' -> 'Learner' ->> 'Email' <> ''
		OR convert_from(item, 'UTF8')::jsonb -> 'submission' -> 'Learner' ->> 'Name' <> '');
