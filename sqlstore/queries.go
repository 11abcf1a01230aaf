package sqlstore

import (
	"regexp"
	// also the "sqlite" database/sql driver
)

// queries are the statements of one dialect, written with $1, $2… and
// rewritten for SQLite as ?1, ?2….
type queries struct {
	getRecord, createRecord, putRecord, swapRecord, recordState string
	listRecords, setRecordTimes                                 string
	recordEvents, deleteEvent                                   string

	submitReview, pendingReviewID, pendingReviews, getReview, resolveReview, keepReview string

	createList, loadList, lockList, updateList, listURLs string
}

var placeholder = regexp.MustCompile(`\$(\d+)`)

func newQueries(d Dialect) *queries {
	forUpdate := " FOR UPDATE"
	if d == SQLite {
		forUpdate = "" // BEGIN IMMEDIATE has locked the database
	}
	q := &queries{
		getRecord:    `SELECT record, credential FROM openbadges_records WHERE award_key = $1`,
		createRecord: `INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential, first_award, time_to_award) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		putRecord: `INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential, first_award, time_to_award) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (award_key) DO UPDATE SET achievement_id = excluded.achievement_id, state = excluded.state, record = excluded.record, credential = excluded.credential,
				first_award = excluded.first_award, time_to_award = excluded.time_to_award`,
		swapRecord:     `UPDATE openbadges_records SET achievement_id = $2, state = $3, record = $4, credential = $5, first_award = $6, time_to_award = $7 WHERE award_key = $1 AND state = $8`,
		recordState:    `SELECT state FROM openbadges_records WHERE award_key = $1`,
		setRecordTimes: `UPDATE openbadges_records SET first_award = $2, time_to_award = $3 WHERE award_key = $1`,
		listRecords:    `SELECT record, credential FROM openbadges_records`,

		recordEvents: `SELECT at, state, from_state, by_whom, achievement_id, learner_id FROM openbadges_events WHERE award_key = $1`,
		deleteEvent:  `DELETE FROM openbadges_events WHERE at = $1 AND award_key = $2 AND state = $3`,

		submitReview:    `INSERT INTO openbadges_review (id, award_key, item) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		pendingReviewID: `SELECT id FROM openbadges_review WHERE award_key = $1 AND resolution IS NULL`,
		pendingReviews:  `SELECT id, item FROM openbadges_review WHERE resolution IS NULL ORDER BY seq`,
		getReview:       `SELECT item, resolution FROM openbadges_review WHERE id = $1`,
		resolveReview:   `UPDATE openbadges_review SET resolution = $2 WHERE id = $1 AND resolution IS NULL RETURNING item`,
		keepReview:      `UPDATE openbadges_review SET item = $2 WHERE id = $1`,

		createList: `INSERT INTO openbadges_status_lists (url, list) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		loadList:   `SELECT list FROM openbadges_status_lists WHERE url = $1`,
		lockList:   `SELECT list FROM openbadges_status_lists WHERE url = $1` + forUpdate,
		updateList: `UPDATE openbadges_status_lists SET list = $2 WHERE url = $1`,
		listURLs:   `SELECT url FROM openbadges_status_lists ORDER BY url`,
	}
	if d == SQLite {
		for _, p := range []*string{
			&q.getRecord, &q.createRecord, &q.putRecord, &q.swapRecord, &q.recordState, &q.listRecords, &q.setRecordTimes,
			&q.recordEvents, &q.deleteEvent,
			&q.submitReview, &q.pendingReviewID, &q.pendingReviews, &q.getReview, &q.resolveReview, &q.keepReview,
			&q.createList, &q.loadList, &q.lockList, &q.updateList, &q.listURLs,
		} {
			*p = rebind(d, *p)
		}
	}
	return q
}

// rebind rewrites the placeholders $1, $2… of query for d.
func rebind(d Dialect, query string) string {
	if d == SQLite {
		return placeholder.ReplaceAllString(query, "?${1}")
	}
	return query
}
