package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// envAwardToken holds the bearer token of the issuer server's POST
// /awards (as examples/issuer-server reads it): a secret, so not a flag.
const envAwardToken = "OPENBADGES_AWARD_TOKEN"

// remote is the LMS awarding into a running examples/issuer-server rather
// than issuing itself: -server names it, and -cacert its TLS certificate
// (its -cert file) when that is not one the system trusts.
type remote struct {
	server, cacert *string
}

// remoteFlags adds -server and -cacert to fs.
func remoteFlags(fs *flag.FlagSet) *remote {
	return &remote{
		server: fs.String("server", "", "award into this running examples/issuer-server (https://HOST:PORT) instead of issuing here, with the bearer token of $"+envAwardToken+"; awards.json then holds the offers and sign-in codes to hand the learners"),
		cacert: fs.String("cacert", "", "with -server, the server's TLS certificate to trust (issuer-server's -cert file)"),
	}
}

// remoteAward is one award as the server answered it, kept in awards.json
// for the LMS to hand each learner their offer and codes.
type remoteAward struct {
	Learner     string     `json:"learner"`
	Achievement string     `json:"achievement"`
	State       string     `json:"state,omitempty"`
	Offer       string     `json:"offer,omitempty"`
	Expires     *time.Time `json:"expires,omitempty"`
	SignIn      string     `json:"signIn,omitempty"`
	Error       string     `json:"error,omitempty"`
}

// maxAwardResponse bounds the server's answer.
const maxAwardResponse = 1 << 20

// run posts each submission to the server's POST /awards, a few at a
// time, writes DIR/awards.json (0600: it holds the learners' offers and
// codes) and prints the tally.
func (r *remote) run(ctx context.Context, subs []*issuer.Submission, dir string, stdout, stderr io.Writer) error {
	token := os.Getenv(envAwardToken)
	if token == "" {
		return fmt.Errorf("-server needs the server's award token in $%s", envAwardToken)
	}
	base := strings.TrimSuffix(*r.server, "/")
	if !strings.HasPrefix(base, "https://") {
		return fmt.Errorf("-server %q: want https://HOST:PORT", *r.server)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if *r.cacert != "" {
		pem, err := os.ReadFile(*r.cacert)
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("-cacert %s: no PEM certificate", *r.cacert)
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	start := time.Now()
	awards := make([]remoteAward, len(subs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				awards[k] = awardRemote(ctx, client, base, token, subs[k])
			}
		}()
	}
	for k := range subs {
		next <- k
	}
	close(next)
	wg.Wait()

	var t tally
	for k, a := range awards {
		switch {
		case a.Error != "":
			t.Failed++
			fmt.Fprintf(stderr, "event %d: %s\n", k, a.Error)
		case a.State == string(issuer.StateIssued):
			t.Awarded++
		case a.State == string(issuer.StateDenied):
			t.Denied++
		case a.State == string(issuer.StateInReview):
			t.InReview++
		default:
			t.Repeated++
		}
	}
	data, err := json.MarshalIndent(awards, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "awards.json"), append(data, '\n'), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d events sent to %s: %d issued, %d denied, %d in review, %d other, %d failed; in %.1f s; offers in %s\n",
		len(subs), base, t.Awarded, t.Denied, t.InReview, t.Repeated, t.Failed, time.Since(start).Seconds(), filepath.Join(dir, "awards.json"))
	if t.Failed > 0 {
		return errors.New("some awards failed")
	}
	return nil
}

// awardRemote posts one submission.
func awardRemote(ctx context.Context, client *http.Client, base, token string, s *issuer.Submission) remoteAward {
	a := remoteAward{Learner: s.Learner.Email, Achievement: s.AchievementID}
	body := map[string]any{
		"achievement": s.AchievementID,
		"learner":     map[string]string{"id": s.Learner.ID, "email": s.Learner.Email, "name": s.Learner.Name},
		"completed":   s.Completed,
	}
	scores := map[string]string{}
	for _, sc := range s.Scores {
		scores[sc.ResultDescription] = sc.Value
	}
	body["scores"] = scores
	var evidence []map[string]string
	for _, e := range s.Evidence {
		evidence = append(evidence, map[string]string{"url": e.URL, "kind": e.Kind, "name": e.Name, "text": e.Text})
	}
	body["evidence"] = evidence
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/awards", bytes.NewReader(b))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAwardResponse))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	if resp.StatusCode != http.StatusOK {
		a.Error = fmt.Sprintf("%s: %s", resp.Status, strings.TrimSpace(string(data)))
		return a
	}
	var got struct {
		State   string     `json:"state"`
		Offer   string     `json:"offer"`
		Expires *time.Time `json:"expires"`
		SignIn  string     `json:"signIn"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		a.Error = "the server's answer: " + err.Error()
		return a
	}
	a.State, a.Offer, a.Expires, a.SignIn = got.State, got.Offer, got.Expires, got.SignIn
	return a
}
