package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/report"
)

// The issuer's report on the command line, on top of package report: what
// was awarded, denied, reviewed and revoked, per achievement and period,
// for a funder; and the decisions behind it for a spreadsheet.

const reportHelp = `Reports what the issuer decided over a range of dates: per achievement,
how many awards, denials, reviews, rejections, revocations and
suspensions, the award rate (awards over awards, denials and rejections)
and how long awards took from the first submission (median and 90th
percentile); with --by day, week or month, the same per period; how many
reviews each reviewer decided, and the review queue as it stands.
--achievement ID reports on one achievement alone, with its own rows
per period.

No learner is named, and a count from 1 to --min-group minus 1 is shown
as <5 (for the default 5), in every format: in a small program a count
of 1 can identify a learner. A rate or time computed from such a group,
and a count that would give one away by subtraction, is shown as x.
--min-group 1 shows every count, for readers who may see each learner's
records anyway.

--since and --until take a date (2026-01-31, midnight in --tz; --until
includes that day) or a time (2026-01-31T09:00:00+01:00, --until
excludes it). Periods start at midnight in --tz (default UTC).

--format html writes one self-contained page (charts with their tables,
no script, readable in print): the page to send to a funder.

openbadges report export writes every change of state (CSV or JSON Lines),
one a line, for a spreadsheet or a BI tool: no learner and no award key,
but a pseudonym made for the export, unless --learners is given.
openbadges report export --help lists its flags.

Exit status: 0 written, 2 could not run.`

const reportUsage = "--config FILE [--db URL] [--achievement ID] [--since DATE] [--until DATE] [--by achievement|day|week|month] [--tz ZONE] [--min-group N] [--format table|csv|json|html] [--out FILE|-]"

// runReport writes the issuer's report, or with "export" its decisions.
func runReport(e env, args []string) int {
	if len(args) > 0 && args[0] == "export" {
		return runReportExport(e, args[1:])
	}
	fs := newFlags(e, "report", reportUsage)
	lf := addLifecycleFlags(fs)
	rf := addRangeFlags(fs)
	achievement := fs.String("achievement", "", "report on this achievement alone (with --by, its own rows per period)")
	by := fs.String("by", "achievement", "rows per achievement only, or also per day, week or month")
	minGroup := fs.Int("min-group", report.DefaultMinGroup, "the smallest count shown as its number; smaller ones show as <N (1: every count)")
	format := fs.String("format", "table", "table, csv, json or html")
	asJSON := fs.Bool("json", false, "the same as --format json")
	out := fs.String("out", "-", `where to write it ("-" for standard output)`)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *lf.config == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges report: %v\n", err)
		return exitCantRun
	}
	if *asJSON {
		*format = "json"
	}
	var write func(*report.Report, io.Writer) error
	switch *format {
	case "table":
		write = (*report.Report).WriteTable
	case "csv":
		write = (*report.Report).WriteCSV
	case "json":
		write = (*report.Report).WriteJSON
	case "html":
		write = (*report.Report).WriteHTML
	default:
		return fail(fmt.Errorf("--format %q: want table, csv, json or html", *format))
	}
	opts := report.Options{MinGroup: *minGroup, AchievementID: *achievement}
	switch *by {
	case "achievement", "":
	case "day", "week", "month":
		opts.Period = issuer.Period(*by)
	default:
		return fail(fmt.Errorf("--by %q: want achievement, day, week or month", *by))
	}
	if *minGroup < 1 {
		return fail(fmt.Errorf("--min-group %d: want 1 or more (1 shows every count)", *minGroup))
	}
	var err error
	if opts.Location, opts.Since, opts.Until, err = rf.parse(); err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *lf.timeout)
	defer cancel()
	iss, byID, closeDB, err := loadIssuer(ctx, e, *lf.config, *lf.db)
	defer closeDB()
	if err != nil {
		return fail(err)
	}
	in, ok := iss.Insights()
	if !ok {
		return fail(errors.New("the records of this configuration cannot answer a report's questions; keep them in a folder or a database (openbadges init)"))
	}
	src := report.Source{Insights: in, Review: iss.ReviewQueue(), Achievements: map[string]string{}}
	for id, a := range byID {
		src.Achievements[id] = a.Name
	}
	src.Issuer = issuerName(*lf.config)
	rep, err := report.Build(ctx, src, opts)
	if err != nil {
		return fail(rangeForPeople(err))
	}
	var buf bytes.Buffer
	if err := write(rep, &buf); err != nil {
		return fail(err)
	}
	if err := writeOut(e, *out, buf.Bytes()); err != nil {
		return fail(err)
	}
	return exitOK
}

// issuerName returns the name of the issuer the configuration file names
// (loadIssuer has read it, so it parses); empty for standard input.
func issuerName(config string) string {
	if config == "-" {
		return ""
	}
	data, err := os.ReadFile(config)
	if err != nil {
		return ""
	}
	fc, err := issuer.ParseConfig(data)
	if err != nil {
		return ""
	}
	p, err := fc.Profile()
	if err != nil {
		return ""
	}
	return p.Name
}

// rangeFlags are the flags that say which changes count.
type rangeFlags struct{ since, until, tz *string }

func addRangeFlags(fs flagDefiner) rangeFlags {
	return rangeFlags{
		since: fs.String("since", "", "from this date (2026-01-31, midnight in --tz) or time (RFC 3339); default: the first"),
		until: fs.String("until", "", "up to the end of this date, or up to this time; default: now"),
		tz:    fs.String("tz", "UTC", "the time zone of dates and periods, an IANA name such as Europe/Berlin"),
	}
}

// flagDefiner is the part of flag.FlagSet addRangeFlags uses.
type flagDefiner interface {
	String(name, value, usage string) *string
}

// parse reads the range flags.
func (f rangeFlags) parse() (loc *time.Location, since, until time.Time, err error) {
	if strings.TrimSpace(*f.tz) == "" || strings.EqualFold(*f.tz, "local") {
		return nil, since, until, fmt.Errorf("--tz %q: give a time zone by its IANA name, such as Europe/Berlin or America/New_York, or UTC", *f.tz)
	}
	if loc, err = time.LoadLocation(*f.tz); err != nil {
		return nil, since, until, fmt.Errorf("--tz %q is not a time zone: give its IANA name, such as Europe/Berlin or America/New_York, or UTC", *f.tz)
	}
	if since, err = parseWhen("--since", *f.since, loc, false); err != nil {
		return nil, since, until, err
	}
	if until, err = parseWhen("--until", *f.until, loc, true); err != nil {
		return nil, since, until, err
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		return nil, since, until, fmt.Errorf("--since %s is not before --until %s", *f.since, *f.until)
	}
	return loc, since, until, nil
}

// parseWhen reads a date (midnight in loc; with endOfDay, the midnight
// after it) or an RFC 3339 time; empty is zero.
func parseWhen(flag, v string, loc *time.Location, endOfDay bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		if endOfDay {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want a date, such as 2026-01-31, or a time, such as 2026-01-31T09:00:00+01:00", flag, v)
	}
	return t, nil
}

// rangeForPeople says an error of the range in the words of the flags.
func rangeForPeople(err error) error {
	if !errors.Is(err, issuer.ErrQuery) {
		return err
	}
	msg := strings.NewReplacer("issuer: bad insights query: ", "", "since and until", "--since and --until", "more than 11000", "more than 11000 (narrow --since and --until, or use --by week or month):").Replace(err.Error())
	return errors.New(msg)
}

// writeOut writes data to the file out, or to standard output for "-".
func writeOut(e env, out string, data []byte) error {
	if out == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	return writeFileAtomic(out, data, 0o644)
}

const reportExportUsage = "--config FILE [--db URL] [--format csv|jsonl] [--learners] [--achievement ID] [--since DATE] [--until DATE] [--tz ZONE] [--out FILE|-]"

// runReportExport writes the issuer's decisions, page by page.
func runReportExport(e env, args []string) int {
	fs := newFlags(e, "report export", reportExportUsage)
	lf := addLifecycleFlags(fs)
	rf := addRangeFlags(fs)
	format := fs.String("format", "csv", "csv or jsonl (JSON Lines)")
	learners := fs.Bool("learners", false, "add each learner's id and the award key: personal data, only for readers who may see it")
	achievement := fs.String("achievement", "", "only this achievement's decisions")
	out := fs.String("out", "-", `where to write them ("-" for standard output)`)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *lf.config == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges report export: %v\n", err)
		return exitCantRun
	}
	if *format != "csv" && *format != "jsonl" {
		return fail(fmt.Errorf("--format %q: want csv or jsonl", *format))
	}
	q := issuer.InsightQuery{AchievementID: *achievement, Learners: *learners}
	var err error
	if _, q.Since, q.Until, err = rf.parse(); err != nil {
		return fail(err)
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err != nil {
		return fail(err)
	}
	in, ok := iss.Insights()
	if !ok {
		return fail(errors.New("the records of this configuration cannot answer a report's questions; keep them in a folder or a database (openbadges init)"))
	}
	w, commit, abort, err := outFile(e, *out)
	if err != nil {
		return fail(err)
	}
	if err := report.Export(ctx, in, w, *format, q); err != nil {
		abort()
		return fail(rangeForPeople(err))
	}
	if err := commit(); err != nil {
		return fail(err)
	}
	if *learners {
		fmt.Fprintln(e.stderr, "the export names learners: keep it where only those who may see their records can read it")
	}
	return exitOK
}

// outFile returns a writer for out: standard output for "-", else a file
// beside it that commit renames into place and abort removes.
func outFile(e env, out string) (w io.Writer, commit func() error, abort func(), err error) {
	if out == "-" {
		return e.stdout, func() error { return nil }, func() {}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return nil, nil, nil, err
	}
	abort = func() { f.Close(); os.Remove(f.Name()) }
	commit = func() error {
		if err := f.Chmod(0o644); err != nil {
			abort()
			return err
		}
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return err
		}
		if err := os.Rename(f.Name(), out); err != nil {
			os.Remove(f.Name())
			return err
		}
		return nil
	}
	return f, commit, abort, nil
}
