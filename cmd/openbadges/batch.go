package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

// maxBatchRows bounds a batch file.
const maxBatchRows = 1_000_000

// batchColumns are the columns a batch file may have; achievement and
// recipient are required.
var batchColumns = map[string]bool{"achievement": true, "recipient": true, "score": true, "evidence": true, "completed": true, "name": true}

// readBatch reads a CSV of results into submissions: a header row naming
// the columns (achievement, recipient, and optionally score, evidence —
// several separated by spaces, each URL or KIND=URL —, completed and
// name), then one row per learner and achievement.
func readBatch(data []byte, achievements map[string]*credential.Achievement, now time.Time) ([]*issuer.Submission, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("the header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !batchColumns[h] {
			return nil, fmt.Errorf("column %q: want achievement, recipient, score, evidence, completed or name", header[i])
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("column %q twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"achievement", "recipient"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("no %s column", need)
		}
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var subs []*issuer.Submission
	for line := 2; ; line++ {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(subs) == maxBatchRows {
			return nil, fmt.Errorf("more than %d rows", maxBatchRows)
		}
		fail := func(err error) ([]*issuer.Submission, error) { return nil, fmt.Errorf("line %d: %w", line, err) }
		l, err := parseRecipient(get(row, "recipient"))
		if err != nil {
			return fail(err)
		}
		l.Name = get(row, "name")
		s := &issuer.Submission{Learner: l, AchievementID: get(row, "achievement"), Completed: true, CompletedAt: now, SubmittedAt: now}
		a := achievements[s.AchievementID]
		if a == nil {
			return fail(fmt.Errorf("achievement %q is not in the config", s.AchievementID))
		}
		switch c := strings.ToLower(get(row, "completed")); c {
		case "", "true", "yes", "1":
		case "false", "no", "0":
			s.Completed, s.CompletedAt = false, time.Time{}
		default:
			return fail(fmt.Errorf("completed %q: want true or false", c))
		}
		if v := get(row, "score"); v != "" {
			if len(a.ResultDescription) != 1 {
				return fail(fmt.Errorf("a score for %s, which has %d result descriptions: the batch file takes one", s.AchievementID, len(a.ResultDescription)))
			}
			s.Scores = []issuer.Score{{ResultDescription: a.ResultDescription[0].ID, Value: v}}
		}
		for _, v := range strings.Fields(get(row, "evidence")) {
			ev := issuer.Evidence{URL: v}
			if kind, u, ok := strings.Cut(v, "="); ok && !strings.Contains(kind, ":") {
				ev.Kind, ev.URL = kind, u
			}
			s.Evidence = append(s.Evidence, ev)
		}
		subs = append(subs, s)
	}
	if len(subs) == 0 {
		return nil, errors.New("no rows")
	}
	return subs, nil
}

// batchRow is one row's outcome as openbadges issue --batch --json prints
// it.
type batchRow struct {
	Line     int      `json:"line"`
	AwardKey string   `json:"awardKey,omitempty"`
	State    string   `json:"state"`
	File     string   `json:"file,omitempty"`
	Reasons  []string `json:"reasons,omitempty"`
}

// runIssueBatch issues a batch file's submissions and writes each
// credential to outDir as AWARDKEY.json (or .jwt); it prints one CSV line
// per row: line, award key, state, file, reasons (with asJSON, one JSON
// object per row). Exit 0 when every row
// was decided, 1 when some could not be, 2 when it could not run.
func runIssueBatch(e env, ctx context.Context, iss *issuer.Issuer, achievements map[string]*credential.Achievement, batchFile, outDir string, asJSON bool) int {
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges issue: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	data, err := readInput(e, batchFile, 256<<20)
	if err != nil {
		return fail(err)
	}
	subs, err := readBatch(data, achievements, time.Now())
	if err != nil {
		return fail(fmt.Errorf("%s: %w", displayName(batchFile), err))
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fail(err)
	}
	results := iss.Batch(ctx, subs, &issuer.BatchOptions{Progress: newProgress(e.stderr, "rows").update})
	w := csv.NewWriter(e.stdout)
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	var jsonErr error
	write := func(line int, awardKey, state, file string, reasons []string) {
		if asJSON {
			if err := enc.Encode(batchRow{line, awardKey, state, file, reasons}); err != nil && jsonErr == nil {
				jsonErr = err
			}
			return
		}
		w.Write([]string{fmt.Sprint(line), awardKey, state, file, strings.Join(reasons, "; ")})
	}
	if !asJSON {
		w.Write([]string{"line", "awardKey", "state", "file", "reasons"})
	}
	status := exitOK
	tally := map[string]int{}
	pathways := 0
	for k, r := range results {
		line := k + 2
		if r.Issued != nil && errors.Is(r.Err, issuer.ErrPathway) {
			// The row's award is made; the pathway it completed is not.
			fmt.Fprintf(e.stderr, "line %d: the award is made, but %s; run the batch again to retry\n", line, forPeople(r.Err.Error()))
			r.Err, status = nil, exitNo
		}
		if r.Err != nil {
			write(line, "", "failed", "", []string{r.Err.Error()})
			tally["failed"]++
			status = exitNo
			continue
		}
		is := r.Issued
		file := ""
		if is.State == issuer.StateIssued {
			name, data := is.AwardKey+".json", is.Credential
			if len(data) == 0 {
				name, data = is.AwardKey+".jwt", []byte(is.JWT)
			}
			if err := writeFileAtomic(filepath.Join(outDir, name), data, 0o644); err != nil {
				return fail(err)
			}
			file = filepath.ToSlash(filepath.Join(outDir, name))
		}
		state := string(is.State)
		if is.Existing {
			state = "already issued"
		}
		tally[state]++
		write(line, is.AwardKey, state, file, is.Decision.Reasons)
		n, err := writePathways(e, outDir, line, is)
		if err != nil {
			return fail(err)
		}
		pathways += n
	}
	w.Flush()
	if err := cmp.Or(jsonErr, w.Error()); err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stderr, "%d rows: %d issued, %d already issued, %d denied, %d in review, %d revoked, %d suspended, %d rejected, %d failed\n",
		len(results), tally["issued"], tally["already issued"], tally["denied"], tally["in-review"], tally["revoked"], tally["suspended"], tally["rejected"], tally["failed"])
	if pathways > 0 {
		fmt.Fprintf(e.stderr, "and %d pathways completed, their credentials in %s\n", pathways, outDir)
	}
	return status
}
