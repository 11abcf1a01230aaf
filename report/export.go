package report

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// Decision is one line of an Export: one change of state of one award.
type Decision struct {
	// At is when it changed, in UTC.
	At time.Time `json:"at"`
	// Award names the award (one learner and achievement): its award key
	// with InsightQuery.Learners, otherwise a pseudonym that is the same
	// for the same award within one export and leads neither to the
	// learner nor to the award key.
	Award string `json:"award"`
	// AchievementID is the achievement's id.
	AchievementID string `json:"achievement"`
	// From is the state before (empty for the first decision); State the
	// state entered.
	From  issuer.State `json:"from,omitempty"`
	State issuer.State `json:"state"`
	// By names the person who decided, if a person did.
	By string `json:"by,omitempty"`
	// Learner is the learner's id, with InsightQuery.Learners only.
	Learner string `json:"learner,omitempty"`
}

// Export writes the decisions q selects (every change of state in
// [q.Since, q.Until), oldest first; q.AchievementID for one achievement)
// to w as "csv" (a header, then a row per decision: at, award,
// achievement, from, state, by, and learner with q.Learners) or "jsonl"
// (a Decision as JSON per line). It asks in for a page of q.Limit at a
// time and writes it before asking for the next, so memory stays flat
// however many there are.
//
// Nothing personal is written unless q.Learners is set: neither the
// learner's id nor the award key, which a list of email addresses would
// lead back to (an award key is a hash of the learner's address or id);
// a pseudonym made for this export stands in for it. Set q.Learners only
// for a reader who may see each learner's records. A CSV cell that a
// spreadsheet would run as a formula (starting with =, +, -, @) is written
// with a ' before it.
func Export(ctx context.Context, in issuer.Insights, w io.Writer, format string, q issuer.InsightQuery) error {
	var write func(Decision) error
	var flush func() error
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		head := []string{"at", "award", "achievement", "from", "state", "by"}
		if q.Learners {
			head = append(head, "learner")
		}
		if err := cw.Write(head); err != nil {
			return err
		}
		write = func(d Decision) error {
			rec := []string{d.At.Format(time.RFC3339Nano), d.Award, d.AchievementID, string(d.From), string(d.State), d.By}
			if q.Learners {
				rec = append(rec, d.Learner)
			}
			for i := range rec {
				rec[i] = defuse(rec[i])
			}
			return cw.Write(rec)
		}
		flush = func() error { cw.Flush(); return cw.Error() }
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		write = func(d Decision) error { return enc.Encode(d) }
		flush = func() error { return nil }
	default:
		return fmt.Errorf("report: export format %q (want csv or jsonl)", format)
	}
	var secret []byte
	if !q.Learners {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	for {
		page, err := in.Decisions(ctx, q)
		if err != nil {
			return err
		}
		for _, row := range page.Decisions {
			d := Decision{At: row.At.UTC(), Award: row.AwardKey, AchievementID: row.AchievementID, From: row.From, State: row.State, By: row.By}
			if q.Learners {
				d.Learner = row.LearnerID
			} else {
				m := hmac.New(sha256.New, secret)
				m.Write([]byte(row.AwardKey))
				d.Award = hex.EncodeToString(m.Sum(nil)[:8])
			}
			if err := write(d); err != nil {
				return err
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if page.Next == "" || page.Next == q.After {
			return nil
		}
		q.After = page.Next
	}
}

// defuse keeps a spreadsheet from running a cell as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
