package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/cputime"
	"github.com/go-openbadges/openbadges/internal/insightstest"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/status"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BenchmarkIssue issues credentials, each to a new learner, from
// GOMAXPROCS goroutines through issuer.Issue, with its records, review
// queue and status list in each store: memory, files (issuer.DirRecords and
// status.DirStore), SQLite, and PostgreSQL (skipped without a server, see
// OPENBADGES_TEST_POSTGRES). Every issuance signs (eddsa-rdfc-2022),
// verifies, allocates a status index and stores the record durably;
// credentials/s is the throughput, cpu-ns/op the process's CPU time per
// credential (not the PostgreSQL server's). The ",reserve=64" stores'
// Registry reserves status indices in blocks of 64
// (status.Registry.ReserveBlock).
//
//	go test -run '^$' -bench Issue -benchtime 1000x -count 3 ./sqlstore/
func BenchmarkIssue(b *testing.B) {
	sqlite := func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
		db := openURL(b, sqliteURL(b), nil)
		return db.Records(), db.Review(), db.Status()
	}
	postgres := func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
		db := openURL(b, freshPostgres(b), nil)
		return db.Records(), db.Review(), db.Status()
	}
	for _, st := range []struct {
		name    string
		open    func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store)
		reserve int // status.Registry.ReserveBlock
	}{
		{"memory", func(*testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
			return &issuer.MemoryRecords{}, &issuer.MemoryQueue{}, &status.MemoryStore{}
		}, 0},
		{"file", func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
			dir := b.TempDir()
			records, err := issuer.OpenDirRecords(filepath.Join(dir, "records"))
			if err != nil {
				b.Fatal(err)
			}
			lists, err := status.OpenDir(filepath.Join(dir, "status"))
			if err != nil {
				b.Fatal(err)
			}
			return records, &issuer.MemoryQueue{}, lists
		}, 0},
		{"sqlite", sqlite, 0},
		{"postgres", postgres, 0},
		{"sqlite,reserve=64", sqlite, 64},
		{"postgres,reserve=64", postgres, 64},
	} {
		b.Run("store="+st.name, func(b *testing.B) {
			records, review, lists := st.open(b)
			iss, err := newIssuer(records, review, lists, func(c *issuer.Config) {
				c.Status.Registry.ReserveBlock = st.reserve
			})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var learner atomic.Int64
			b.ResetTimer()
			start, ok := cputime.Process()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					out, err := iss.Issue(ctx, procSubmission(int(learner.Add(1))))
					if err != nil {
						b.Error(err)
						return
					}
					if out.State != issuer.StateIssued || out.Existing {
						b.Errorf("%s, existing %v", out.State, out.Existing)
						return
					}
				}
			})
			if end, _ := cputime.Process(); ok {
				b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
		})
	}
}

// insightsDecisions is how many decisions the Insights benchmarks count:
// insightstest.History gives about 1.5 per award key.
const insightsDecisions = 1_000_000

// insightsData is a generated history of insightsDecisions decisions,
// in a database of one engine, made once per run of the benchmarks (and
// dropped by TestMain).
type insightsData struct {
	once      sync.Once
	err       error
	db        *DB
	iss       *issuer.Issuer
	learners  []issuer.Learner // one per award key
	decisions int
	drop      func() error
}

var insightsStores = map[string]*insightsData{"sqlite": {}, "postgres": {}}

// dropInsightsData closes and removes the benchmarks' databases.
func dropInsightsData() {
	for _, d := range insightsStores {
		if d.db != nil {
			d.db.Close()
		}
		if d.drop != nil {
			if err := d.drop(); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}
	}
}

// loadInsights returns the history in a database of the engine store,
// skipping under -short, or for PostgreSQL without a server.
func loadInsights(b *testing.B, store string) *insightsData {
	b.Helper()
	if testing.Short() {
		b.Skip("a million decisions: not under -short")
	}
	u := ""
	if store == "postgres" {
		u = postgresURL(b)
	}
	d := insightsStores[store]
	d.once.Do(func() {
		start := time.Now()
		if store == "sqlite" {
			dir, err := os.MkdirTemp("", "openbadges-insights-")
			if err != nil {
				d.err = err
				return
			}
			d.drop = func() error { return os.RemoveAll(dir) }
			u = "sqlite:" + filepath.Join(dir, "issuer.db")
		} else {
			var err error
			if u, d.drop, err = newPostgresSchema(u); err != nil {
				d.err = err
				return
			}
		}
		d.err = d.load(u)
		b.Logf("%s: %d decisions of %d award keys loaded in %v", store, d.decisions, len(d.learners), time.Since(start).Round(time.Second))
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d
}

// load opens the empty database at u and loads the history into it.
func (d *insightsData) load(u string) error {
	ctx := context.Background()
	var err error
	if d.db, err = Open(ctx, u, nil); err != nil {
		return err
	}
	var achievements []issuer.Achievement
	for _, id := range insightstest.Achievements {
		achievements = append(achievements, issuer.Achievement{
			Achievement: &credential.Achievement{ID: id, Name: "A course", Description: "A course.",
				Criteria: &credential.Criteria{Narrative: "Finish the course."}},
			Evaluator: issuer.Completion{},
		})
	}
	d.iss, err = newIssuer(d.db.Records(), d.db.Review(), d.db.Status(), func(c *issuer.Config) { c.Achievements = achievements })
	if err != nil {
		return err
	}
	recs := insightstest.History(22, insightsDecisions*2/3+1500)
	for _, r := range recs {
		// The award keys the Issuer gives, for LearnerRecords to find.
		r.AwardKey = d.iss.AwardKey(r.AchievementID, r.Learner)
		d.learners = append(d.learners, r.Learner)
		d.decisions += len(r.History)
	}
	slices.SortFunc(recs, func(a, b *issuer.Record) int { return strings.Compare(a.AwardKey, b.AwardKey) })
	// The indexes are built after the rows are in, which is many times
	// faster than keeping them up to date row by row.
	indexes, err := d.dropIndexes(ctx)
	if err != nil {
		return err
	}
	if d.db.dialect == PostgreSQL {
		err = d.copyPostgres(ctx, recs)
	} else {
		err = d.insertSQLite(ctx, recs)
	}
	if err != nil {
		return err
	}
	for _, ddl := range indexes {
		if _, err := d.db.db.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("%s: %w", ddl, err)
		}
	}
	if d.db.dialect == PostgreSQL {
		// As autovacuum does after a load: index-only scans need the
		// visibility map.
		_, err = d.db.db.ExecContext(ctx, "VACUUM ANALYZE openbadges_records, openbadges_events")
	}
	return err
}

// dropIndexes drops the secondary indexes of the records and events, and
// returns the statements that create them again.
func (d *insightsData) dropIndexes(ctx context.Context) ([]string, error) {
	query := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('openbadges_records', 'openbadges_events')`
	if d.db.dialect == PostgreSQL {
		query = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ('openbadges_records', 'openbadges_events') AND indexname NOT LIKE '%_pkey'`
	}
	rows, err := d.db.db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	var names, ddl []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, ddl = append(names, name), append(ddl, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := d.db.db.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return nil, err
		}
	}
	return ddl, nil
}

// insertSQLite stores recs in one transaction, a hundred rows an INSERT,
// the events in time order.
func (d *insightsData) insertSQLite(ctx context.Context, recs []*issuer.Record) error {
	conn, err := d.db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The indexes of a million events fit in a cache of 1 GiB, not in the
	// default 2 MiB; the connection is then dropped from the pool.
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	for _, s := range []string{"PRAGMA cache_size = -1048576", "BEGIN IMMEDIATE"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	records := &bulk{conn: conn, insert: "INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential, first_award, time_to_award) VALUES ", cols: 7}
	var evs [][]any
	for _, r := range recs {
		args, err := recordArgs(r)
		if err != nil {
			return err
		}
		if err := records.add(ctx, args); err != nil {
			return err
		}
		for _, e := range events(r) {
			evs = append(evs, []any{e.at, r.AwardKey, e.state, e.from, e.by, e.achievement, e.whom})
		}
	}
	if err := records.flush(ctx); err != nil {
		return err
	}
	slices.SortFunc(evs, func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) })
	events := &bulk{conn: conn, insert: "INSERT INTO openbadges_events (at, award_key, state, from_state, by_whom, achievement_id, learner_id) VALUES ", cols: 7}
	for _, e := range evs {
		if err := events.add(ctx, e); err != nil {
			return err
		}
	}
	if err := events.flush(ctx); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// bulk inserts rows a hundred at a time.
type bulk struct {
	conn   *sql.Conn
	insert string
	cols   int
	args   []any
	stmt   *sql.Stmt
}

const bulkRows = 100

func (b *bulk) add(ctx context.Context, row []any) error {
	b.args = append(b.args, row...)
	if len(b.args) < bulkRows*b.cols {
		return nil
	}
	if b.stmt == nil {
		var err error
		if b.stmt, err = b.conn.PrepareContext(ctx, b.insert+b.values(bulkRows)); err != nil {
			return err
		}
	}
	_, err := b.stmt.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	return err
}

func (b *bulk) flush(ctx context.Context) error {
	if b.stmt != nil {
		defer b.stmt.Close()
	}
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.conn.ExecContext(ctx, b.insert+b.values(len(b.args)/b.cols), b.args...)
	return err
}

// values returns n rows of placeholders.
func (b *bulk) values(n int) string {
	var s strings.Builder
	for r := range n {
		if r > 0 {
			s.WriteString(", ")
		}
		s.WriteString("(")
		for c := range b.cols {
			if c > 0 {
				s.WriteString(", ")
			}
			fmt.Fprintf(&s, "?%d", r*b.cols+c+1)
		}
		s.WriteString(")")
	}
	return s.String()
}

// copyPostgres stores recs with COPY, the events in time order.
func (d *insightsData) copyPostgres(ctx context.Context, recs []*issuer.Record) error {
	conn, err := d.db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		_, err := pc.CopyFrom(ctx, pgx.Identifier{"openbadges_records"},
			[]string{"award_key", "achievement_id", "state", "record", "credential", "first_award", "time_to_award"},
			pgx.CopyFromSlice(len(recs), func(k int) ([]any, error) { return recordArgs(recs[k]) }))
		if err != nil {
			return err
		}
		var evs [][]any
		for _, r := range recs {
			for _, e := range events(r) {
				evs = append(evs, []any{e.at, r.AwardKey, e.state, e.from, e.by, e.achievement, e.whom})
			}
		}
		slices.SortFunc(evs, func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) })
		_, err = pc.CopyFrom(ctx, pgx.Identifier{"openbadges_events"},
			[]string{"at", "award_key", "state", "from_state", "by_whom", "achievement_id", "learner_id"}, pgx.CopyFromRows(evs))
		return err
	})
}

// insightsStoreNames are the engines the Insights benchmarks run on.
var insightsStoreNames = []string{"sqlite", "postgres"}

// BenchmarkInsightsMonthly asks a history of a million decisions for a
// year's counts by month in New York (every page of Counts), for every
// achievement and for one, and for the year's time to award.
//
//	go test -run '^$' -bench InsightsMonthly -benchtime 5x -p 1 ./sqlstore/
func BenchmarkInsightsMonthly(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	year := issuer.InsightQuery{Since: insightstest.Start, Until: insightstest.Start.AddDate(1, 0, 0), Period: issuer.PeriodMonth, Location: ny}
	one := year
	one.AchievementID = insightstest.Achievements[1]
	for _, store := range insightsStoreNames {
		b.Run("store="+store, func(b *testing.B) {
			d := loadInsights(b, store)
			ctx := context.Background()
			for _, c := range []struct {
				name string
				q    issuer.InsightQuery
			}{{"counts/achievements=all", year}, {"counts/achievements=one", one}} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						counts, err := insightstest.AllCounts(ctx, d.db.Records(), c.q)
						if err != nil {
							b.Fatal(err)
						}
						if len(counts) == 0 {
							b.Fatal("no counts")
						}
					}
				})
			}
			b.Run("time-to-award", func(b *testing.B) {
				for b.Loop() {
					if _, err := d.db.Records().TimeToAward(ctx, year); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkLearnerRecord finds a learner's records, one per achievement,
// as issuer.Issuer.LearnerRecords does (one Get per achievement, by award
// key), among the records of a million decisions.
func BenchmarkLearnerRecord(b *testing.B) {
	for _, store := range insightsStoreNames {
		b.Run("store="+store, func(b *testing.B) {
			d := loadInsights(b, store)
			ctx := context.Background()
			k := 0
			for b.Loop() {
				recs, err := d.iss.LearnerRecords(ctx, d.learners[(k*7919)%len(d.learners)])
				if err != nil {
					b.Fatal(err)
				}
				if len(recs) != 1 {
					b.Fatalf("%d records", len(recs))
				}
				k++
			}
		})
	}
}

// BenchmarkExport exports every decision of a history of a million
// (Decisions, every page of 1000, with learners), and reports the largest
// growth of the live heap (after a collection, every 100 pages, not
// timed) over the export: that of a page or two, whatever the number of
// decisions.
func BenchmarkExport(b *testing.B) {
	for _, store := range insightsStoreNames {
		b.Run("store="+store, func(b *testing.B) {
			d := loadInsights(b, store)
			ctx := context.Background()
			var peak uint64
			live := func() uint64 {
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				return ms.HeapAlloc
			}
			for b.Loop() {
				b.StopTimer()
				base := live()
				b.StartTimer()
				q := issuer.InsightQuery{Limit: 1000, Learners: true}
				n := 0
				for pages := 1; ; pages++ {
					p, err := d.db.Records().Decisions(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					n += len(p.Decisions)
					if pages%100 == 0 {
						b.StopTimer()
						if h := live(); h > base {
							peak = max(peak, h-base)
						}
						b.StartTimer()
					}
					if p.Next == "" {
						break
					}
					q.After = p.Next
				}
				if n != d.decisions {
					b.Fatalf("%d decisions exported, want %d", n, d.decisions)
				}
			}
			b.ReportMetric(float64(d.decisions)*float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
			b.ReportMetric(float64(peak)/(1<<20), "live-heap-growth-MiB")
		})
	}
}
