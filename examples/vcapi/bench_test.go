package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/cputime"
	"github.com/go-openbadges/openbadges/verify"
)

// benchConcurrency is how many requests the benchmarks keep in flight at
// once, as a load generator would: 8.
const benchConcurrency = 8

// benchCredential is what the benchmarks issue: a VC Data Model 2.0
// credential as the W3C suites send it, signed with eddsa-rdfc-2022 (the
// default) by the Ed25519 issuer.
var benchCredential = unsigned("urn:uuid:bench", "")

// BenchmarkServer measures each of POST /credentials/issue and POST
// /credentials/verify three ways, with benchConcurrency requests at once,
// and reports cpu-ns/op, the process's CPU time per request, beside
// ns/op (wall time) and req/s:
//
//   - library: the work the handler asks of the library, called directly
//     (issue: the data model check, the signature and the self-check;
//     verify: verify.Verifier.Verify);
//   - handler: the handler served with httptest, with no connection: what
//     decoding the request and encoding the response add;
//   - loopback: a real http.Server over 127.0.0.1 with keep-alive
//     connections, the client in the same process: what HTTP adds, both
//     sides of it;
//   - process: the same server in a process of its own, which reports
//     server-cpu-ns/op, the server's CPU time per request (Linux): what
//     HTTP adds to the server, the client's work left out.
//
// Run it on every core: go test -p 1 -run '^$' -bench Server -cpu 2.
func BenchmarkServer(b *testing.B) {
	s, err := buildServer(config{BaseURL: testBase, Ed25519: testEd25519, P256: testP256})
	if err != nil {
		b.Fatal(err)
	}
	h := s.routes()
	issueReq := []byte(issueBody(benchCredential, ""))
	code, vc := serve(h, "/credentials/issue", issueReq)
	if code != http.StatusCreated {
		b.Fatalf("issue: %d:\n%s", code, vc)
	}
	var issued struct {
		VC json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(vc, &issued); err != nil {
		b.Fatal(err)
	}
	verifyReq := []byte(verifyBody(issued.VC))
	if code, body := serve(h, "/credentials/verify", verifyReq); code != http.StatusOK {
		b.Fatalf("verify: %d:\n%s", code, body)
	}
	ctx := context.Background()
	ik := s.issuers[0]

	b.Run("issue/library", func(b *testing.B) {
		doc := []byte(benchCredential)
		doc, err := insertMembers(doc, []member{{"issuer", ik.did}})
		if err != nil {
			b.Fatal(err)
		}
		runConcurrent(b, func() error {
			if _, err := dataModelProblems(doc); err != nil {
				return err
			}
			signed, err := ik.di[ik.suites[0]].Sign(ctx, doc, nil)
			if err != nil {
				return err
			}
			_, err = s.selfCheck(ctx, signed)
			return err
		})
	})
	b.Run("issue/handler", func(b *testing.B) {
		runConcurrent(b, func() error { return expect(serve(h, "/credentials/issue", issueReq))(http.StatusCreated) })
	})
	b.Run("issue/loopback", func(b *testing.B) {
		post := loopback(b, h)
		runConcurrent(b, func() error { return post("/credentials/issue", issueReq, http.StatusCreated) })
	})
	b.Run("issue/process", func(b *testing.B) {
		post, cpu := serverProcess(b)
		runServerCPU(b, cpu, func() error { return post("/credentials/issue", issueReq, http.StatusCreated) })
	})
	b.Run("verify/library", func(b *testing.B) {
		runConcurrent(b, func() error {
			v, err := s.verifier(ctx)
			if err != nil {
				return err
			}
			_, err = v.Verify(ctx, issued.VC, &verify.Policy{VCOnly: true})
			return err
		})
	})
	b.Run("verify/handler", func(b *testing.B) {
		runConcurrent(b, func() error { return expect(serve(h, "/credentials/verify", verifyReq))(http.StatusOK) })
	})
	b.Run("verify/loopback", func(b *testing.B) {
		post := loopback(b, h)
		runConcurrent(b, func() error { return post("/credentials/verify", verifyReq, http.StatusOK) })
	})
	b.Run("verify/process", func(b *testing.B) {
		post, cpu := serverProcess(b)
		runServerCPU(b, cpu, func() error { return post("/credentials/verify", verifyReq, http.StatusOK) })
	})
}

// benchServerEnv, when set, makes TestBenchServerProcess a server for
// BenchmarkServer's process benchmarks.
const benchServerEnv = "VCAPI_BENCH_SERVER"

// TestBenchServerProcess is the server of the process benchmarks, in a
// process of its own: it serves on 127.0.0.1, writes its address on
// stdout, and stops when stdin closes. Without benchServerEnv it does
// nothing.
func TestBenchServerProcess(t *testing.T) {
	if os.Getenv(benchServerEnv) == "" {
		t.Skip("the server of BenchmarkServer's process benchmarks")
	}
	s, err := buildServer(config{BaseURL: testBase, Ed25519: testEd25519, P256: testP256})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer("", s.routes())
	go srv.Serve(ln)
	fmt.Println(ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
}

// serverProcess starts the server in a process of its own (the test binary
// running TestBenchServerProcess) for the rest of the benchmark, and
// returns a function that posts to it and one that returns the CPU time
// the process has used.
func serverProcess(b *testing.B) (post func(path string, body []byte, want int) error, cpu func() time.Duration) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("the server process's CPU time is read from /proc")
	}
	args := []string{"-test.run=^TestBenchServerProcess$"}
	if prof := os.Getenv("VCAPI_BENCH_SERVER_CPUPROFILE"); prof != "" {
		// A CPU profile of the server process, of its last run.
		args = append(args, "-test.cpuprofile="+prof)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), benchServerEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	var addr string
	if _, err := fmt.Fscanln(stdout, &addr); err != nil {
		b.Fatal(err)
	}
	go io.Copy(io.Discard, stdout)
	stat := fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid)
	cpu = func() time.Duration {
		data, err := os.ReadFile(stat)
		if err != nil {
			b.Fatal(err)
		}
		// The fields after the command's name, which is in parentheses:
		// utime and stime are the 12th and 13th, in clock ticks (100 a
		// second on Linux).
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		return time.Duration(u+s) * 10 * time.Millisecond
	}
	return client(b, "http://"+addr), cpu
}

// runServerCPU is runConcurrent that also reports server-cpu-ns/op, the CPU
// time of the server process per request, as cpu says it.
func runServerCPU(b *testing.B, cpu func() time.Duration, op func() error) {
	start := cpu()
	runConcurrent(b, op)
	b.ReportMetric(float64(cpu()-start)/float64(b.N), "server-cpu-ns/op")
}

// serve posts body to h at path with httptest and returns the status code
// and the response body.
func serve(h http.Handler, path string, body []byte) (int, []byte) {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// expect returns a function that reports an error unless code is want.
func expect(code int, body []byte) func(want int) error {
	return func(want int) error {
		if code != want {
			return &statusError{code, body}
		}
		return nil
	}
}

type statusError struct {
	code int
	body []byte
}

func (e *statusError) Error() string { return http.StatusText(e.code) + ": " + string(e.body) }

// loopback serves h on 127.0.0.1 for the rest of the benchmark and returns
// a function that posts to it with a client that keeps a connection per
// request in flight.
func loopback(b *testing.B, h http.Handler) func(path string, body []byte, want int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := newHTTPServer("", h)
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return client(b, "http://"+ln.Addr().String())
}

// client returns a function that posts to the server at base with a client
// that keeps a connection per request in flight.
func client(b *testing.B, base string) func(path string, body []byte, want int) error {
	tr := &http.Transport{MaxIdleConnsPerHost: benchConcurrency, DisableCompression: true}
	b.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	return func(path string, body []byte, want int) error {
		req, err := http.NewRequest("POST", base+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		return expect(resp.StatusCode, got)(want)
	}
}

// runConcurrent runs op b.N times from benchConcurrency goroutines and
// reports cpu-ns/op and req/s.
func runConcurrent(b *testing.B, op func() error) {
	b.ReportAllocs()
	b.SetParallelism(max(1, benchConcurrency/runtime.GOMAXPROCS(0)))
	start, ok := cputime.Process()
	t0 := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	elapsed := time.Since(t0)
	if end, _ := cputime.Process(); ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}
