package sqlstore

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/status"
)

// BenchmarkIssue issues credentials, each to a new learner, from
// GOMAXPROCS goroutines through issuer.Issue, with its records, review
// queue and status list in each store: memory, files (issuer.DirRecords and
// status.DirStore), SQLite, and PostgreSQL (skipped without a server, see
// OPENBADGES_TEST_POSTGRES). Every issuance signs (eddsa-rdfc-2022),
// verifies, allocates a status index and stores the record durably;
// credentials/s is the throughput.
//
//	go test -run '^$' -bench Issue -benchtime 1000x -count 3 ./sqlstore/
func BenchmarkIssue(b *testing.B) {
	for _, st := range []struct {
		name string
		open func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store)
	}{
		{"memory", func(*testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
			return &issuer.MemoryRecords{}, &issuer.MemoryQueue{}, &status.MemoryStore{}
		}},
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
		}},
		{"sqlite", func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
			db := openURL(b, sqliteURL(b), nil)
			return db.Records(), db.Review(), db.Status()
		}},
		{"postgres", func(b *testing.B) (issuer.Records, issuer.ReviewQueue, status.Store) {
			db := openURL(b, freshPostgres(b), nil)
			return db.Records(), db.Review(), db.Status()
		}},
	} {
		b.Run("store="+st.name, func(b *testing.B) {
			iss, err := newIssuer(st.open(b))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var learner atomic.Int64
			b.ResetTimer()
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
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
		})
	}
}
