package sqlstore

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
)

// envChild, when set, makes the test binary a child process of
// TestProcesses: its value is the child's instructions (childJob, as
// JSON), and it prints its childReport on standard output.
const envChild = "OPENBADGES_SQLSTORE_CHILD"

func TestMain(m *testing.M) {
	if job := os.Getenv(envChild); job != "" {
		os.Exit(childMain(job))
	}
	code := m.Run()
	dropInsightsData()
	os.Exit(code)
}

// childJob tells a child process what to do.
type childJob struct {
	URL        string // the shared database
	Process    int    // 0 or 1
	Processes  int
	Learners   int
	Goroutines int
	Barrier    string // a folder where the processes wait for each other
	Reserve    int    // the Registry's ReserveBlock
}

// childReport is what a child did and saw.
type childReport struct {
	// Credentials are, per learner, the SHA-256 of every credential Issue
	// returned to this process.
	Credentials map[int][]string
	// Fresh counts the issuances that were not Existing.
	Fresh int
	// Revoked are the learners this process revoked; SawRevoked those
	// revoked by the other process whose status bit it then read as set.
	Revoked, SawRevoked []int
}

const (
	procListURL     = "https://example.edu/status/1"
	procAchievement = "https://example.edu/achievements/stats"
)

// procIssuer is the issuer every process runs: one key, one achievement
// awarded on completion, revocable in a bitstring list whose indices its
// Registry reserves reserve at a time (status.Registry.ReserveBlock).
func procIssuer(db *DB, reserve int) (*issuer.Issuer, error) {
	return newIssuer(db.Records(), db.Review(), db.Status(), func(c *issuer.Config) {
		c.Status.Registry.ReserveBlock = reserve
	})
}

// newIssuer returns the processes' issuer on the given stores, its
// configuration changed by each of opts.
func newIssuer(records issuer.Records, review issuer.ReviewQueue, lists status.Store, opts ...func(*issuer.Config)) (*issuer.Issuer, error) {
	ctx := context.Background()
	signer := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	did := procDID()
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	k, err := keys.NewKey(vm, did, signer)
	if err != nil {
		return nil, err
	}
	ks := &keys.MemoryStore{}
	if err := ks.Add(ctx, k); err != nil {
		return nil, err
	}
	reg := &status.Registry{Store: lists, NextURL: status.NextNumberedURL}
	if _, err := reg.Create(ctx, procListURL, nil); err != nil && !errors.Is(err, status.ErrExists) {
		return nil, err
	}
	cfg := issuer.Config{
		Issuer: &credential.Profile{ID: did, Name: "Example College"},
		Keys:   ks,
		Achievements: []issuer.Achievement{{
			Achievement: &credential.Achievement{
				ID: procAchievement, Name: "Statistics", Description: "Descriptive statistics.",
				Criteria: &credential.Criteria{Narrative: "Finish the course."},
			},
			Evaluator: issuer.Completion{},
		}},
		Records: records,
		Review:  review,
		Status:  issuer.StatusConfig{Registry: reg, Bitstring: procListURL},
	}
	for _, o := range opts {
		o(&cfg)
	}
	return issuer.New(cfg)
}

func procSubmission(learner int) *issuer.Submission {
	return &issuer.Submission{
		Learner:       issuer.Learner{ID: fmt.Sprintf("did:example:learner-%d", learner)},
		AchievementID: procAchievement,
		Completed:     true,
	}
}

// revokedBy returns the process that revokes learner k's credential, or -1.
func revokedBy(k int) int {
	if k%4 < 2 {
		return k % 4
	}
	return -1
}

// childMain is a child process of TestProcesses: it opens the database,
// issues to every learner from many goroutines (each in another order),
// revokes its share, and reads the other process's revocations.
func childMain(jobJSON string) int {
	var job childJob
	if err := json.Unmarshal([]byte(jobJSON), &job); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	rep, err := runChild(job)
	if err != nil {
		fmt.Fprintf(os.Stderr, "process %d: %v\n", job.Process, err)
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

func runChild(job childJob) (*childReport, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// Both processes open (and so migrate) the new database at once.
	if err := barrier(ctx, job, "open"); err != nil {
		return nil, err
	}
	db, err := Open(ctx, job.URL, nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	iss, err := procIssuer(db, job.Reserve)
	if err != nil {
		return nil, err
	}
	if err := barrier(ctx, job, "issue"); err != nil {
		return nil, err
	}
	rep := &childReport{Credentials: map[int][]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, job.Goroutines)
	for g := range job.Goroutines {
		wg.Go(func() {
			start := g*7 + job.Process*13
			for n := range job.Learners {
				k := (start + n) % job.Learners
				out, err := iss.Issue(ctx, procSubmission(k))
				if err != nil {
					errs <- fmt.Errorf("learner %d: %w", k, err)
					return
				}
				if out.State != issuer.StateIssued || len(out.Credential) == 0 {
					errs <- fmt.Errorf("learner %d: %s, %d bytes", k, out.State, len(out.Credential))
					return
				}
				sum := sha256.Sum256(out.Credential)
				mu.Lock()
				rep.Credentials[k] = append(rep.Credentials[k], hex.EncodeToString(sum[:]))
				if !out.Existing {
					rep.Fresh++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	// Revocation starts once both have issued (Issue after a revocation
	// would issue anew: a revoked award may be earned again).
	if err := barrier(ctx, job, "issued"); err != nil {
		return nil, err
	}
	for k := range job.Learners {
		if revokedBy(k) != job.Process {
			continue
		}
		if err := iss.Revoke(ctx, procKey(k), "issued in error"); err != nil {
			return nil, fmt.Errorf("revoking learner %d: %w", k, err)
		}
		rep.Revoked = append(rep.Revoked, k)
	}
	if err := barrier(ctx, job, "revoked"); err != nil {
		return nil, err
	}
	// The other process's revocations, as this one reads them.
	l, err := db.Status().Load(ctx, procListURL)
	if err != nil {
		return nil, err
	}
	for k := range job.Learners {
		if by := revokedBy(k); by < 0 || by == job.Process {
			continue
		}
		rec, err := db.Records().Get(ctx, procKey(k))
		if err != nil {
			return nil, err
		}
		i, err := strconv.Atoi(rec.Status[0].StatusListIndex)
		if err != nil {
			return nil, err
		}
		if bit, _ := l.Status.Bit(i); bit && rec.State == issuer.StateRevoked {
			rep.SawRevoked = append(rep.SawRevoked, k)
		}
	}
	return rep, nil
}

// procDID is the processes' issuer: a did:key of a fixed key.
func procDID() string {
	signer := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	did, _ := keys.DIDKey(signer.Public())
	return did
}

// procKey is learner k's award key.
func procKey(k int) string {
	return issuer.AwardKey(procDID(), procAchievement, procSubmission(k).Learner)
}

// barrier waits until every process of job has reached the step.
func barrier(ctx context.Context, job childJob, step string) error {
	if err := os.WriteFile(filepath.Join(job.Barrier, fmt.Sprintf("%s-%d", step, job.Process)), nil, 0o600); err != nil {
		return err
	}
	for {
		n := 0
		for p := range job.Processes {
			if _, err := os.Stat(filepath.Join(job.Barrier, fmt.Sprintf("%s-%d", step, p))); err == nil {
				n++
			}
		}
		if n == job.Processes {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the other process to %s: %w", step, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestProcesses runs two processes (this test binary, run again) that
// share one new database, each opening it at the same moment and issuing
// from many goroutines to the same learners, so that they race for every
// award key, then revoking some credentials each. It checks that every
// award key got one credential, the one both processes were handed, that
// no status index went to two credentials (also when each process's
// Registry reserves indices in blocks), and that each process sees the
// other's revocations.
func TestProcesses(t *testing.T) {
	const processes, learners, goroutines = 2, 40, 8
	// Each backend with a Registry that allocates one index at a time, and
	// with one that reserves them in blocks.
	type run struct {
		b       backend
		reserve int
	}
	var runs []run
	for _, reserve := range []int{0, 8} {
		for _, b := range sqlBackends() {
			runs = append(runs, run{b, reserve})
		}
	}
	for _, c := range runs {
		b, name := c.b, c.b.name
		if c.reserve > 0 {
			name += ",reserve=" + strconv.Itoa(c.reserve)
		}
		t.Run(name, func(t *testing.T) {
			u := b.url(t)
			barrierDir := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			reports := make([]childReport, processes)
			var wg sync.WaitGroup
			for p := range processes {
				job, _ := json.Marshal(childJob{URL: u, Process: p, Processes: processes, Learners: learners, Goroutines: goroutines, Barrier: barrierDir, Reserve: c.reserve})
				cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), envChild+"="+string(job))
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				wg.Go(func() {
					if err := cmd.Wait(); err != nil {
						t.Errorf("process %d: %v\n%s", p, err, stderr.String())
						return
					}
					if err := json.Unmarshal(stdout.Bytes(), &reports[p]); err != nil {
						t.Errorf("process %d: %v\n%s", p, err, stdout.String())
					}
				})
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}

			// What the database holds, read through a connection of its own.
			db := openURL(t, u, nil)
			bg := context.Background()
			recs, err := db.Records().List(bg, issuer.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != learners {
				t.Fatalf("%d records, want %d", len(recs), learners)
			}
			list, err := db.Status().Load(bg, procListURL)
			if err != nil {
				t.Fatal(err)
			}
			byKey := map[string]*issuer.Record{}
			for _, r := range recs {
				byKey[r.AwardKey] = r
			}
			indices := map[int]int{}
			fresh := 0
			for _, rep := range reports {
				fresh += rep.Fresh
			}
			if fresh != learners {
				t.Errorf("%d credentials were issued fresh, want %d (one per award key)", fresh, learners)
			}
			for k := range learners {
				r := byKey[procKey(k)]
				if r == nil {
					t.Fatalf("no record for learner %d", k)
				}
				sum := sha256.Sum256(r.Credential)
				want := hex.EncodeToString(sum[:])
				for p, rep := range reports {
					if got := rep.Credentials[k]; len(got) != goroutines || slices.ContainsFunc(got, func(h string) bool { return h != want }) {
						t.Errorf("learner %d: process %d was handed %d credentials, %d of them not the recorded one", k, p, len(got), len(got)-count(got, want))
					}
				}
				if len(r.Status) != 1 {
					t.Fatalf("learner %d: %d status entries", k, len(r.Status))
				}
				i, _ := strconv.Atoi(r.Status[0].StatusListIndex)
				if other, dup := indices[i]; dup {
					t.Errorf("status index %d went to learners %d and %d", i, other, k)
				}
				indices[i] = k
				revoked, _ := list.Status.Bit(i)
				wantState := issuer.StateIssued
				if revokedBy(k) >= 0 {
					wantState = issuer.StateRevoked
				}
				if r.State != wantState || revoked != (revokedBy(k) >= 0) {
					t.Errorf("learner %d: state %s, status bit %v; want %s", k, r.State, revoked, wantState)
				}
			}
			for p, rep := range reports {
				var want []int
				for k := range learners {
					if by := revokedBy(k); by >= 0 && by != p {
						want = append(want, k)
					}
				}
				if !slices.Equal(rep.SawRevoked, want) {
					t.Errorf("process %d saw the other's revocations of %v, want %v", p, rep.SawRevoked, want)
				}
				if len(rep.Revoked) == 0 {
					t.Errorf("process %d revoked nothing", p)
				}
			}
			t.Logf("%d credentials; %d status indices allocated (%d by issuances that lost the race for their award key, or reserved and not handed out)",
				learners, list.AllocatedCount(), list.AllocatedCount()-learners)
		})
	}
}

func count(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
