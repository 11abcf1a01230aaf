package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

var batchAchievements = map[string]*credential.Achievement{
	"https://example.edu/a": {ID: "https://example.edu/a", ResultDescription: credential.List[credential.ResultDescription]{{ID: "https://example.edu/a/final"}}},
	"https://example.edu/b": {ID: "https://example.edu/b"},
}

func TestReadBatch(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	subs, err := readBatch([]byte("\xef\xbb\xbfAchievement, Recipient ,score,evidence,completed,name\n"+
		"https://example.edu/a,emailAddress:ada@example.org,87,project=https://x.example/1 https://x.example/2,,Ada\n"+
		"https://example.edu/b,id:did:example:bob,,,false,\n"), batchAchievements, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []*issuer.Submission{
		{Learner: issuer.Learner{Email: "ada@example.org", Name: "Ada"}, AchievementID: "https://example.edu/a", Completed: true, CompletedAt: now, SubmittedAt: now,
			Scores:   []issuer.Score{{ResultDescription: "https://example.edu/a/final", Value: "87"}},
			Evidence: []issuer.Evidence{{Kind: "project", URL: "https://x.example/1"}, {URL: "https://x.example/2"}}},
		{Learner: issuer.Learner{ID: "did:example:bob"}, AchievementID: "https://example.edu/b", SubmittedAt: now},
	}
	if diff := cmp.Diff(want, subs); diff != "" {
		t.Errorf("submissions (-want +got):\n%s", diff)
	}
}

func TestReadBatchRefuses(t *testing.T) {
	tests := []struct{ name, csv, want string }{
		{"empty", "", "the header row: EOF"},
		{"header only", "achievement,recipient\n", "no rows"},
		{"no recipient column", "achievement\nhttps://example.edu/a\n", "no recipient column"},
		{"unknown column", "achievement,recipient,grade\n", `column "grade"`},
		{"column twice", "achievement,recipient,Recipient\n", `column "recipient" twice`},
		{"unknown achievement", "achievement,recipient\nhttps://example.edu/z,id:did:example:1\n", `line 2: achievement "https://example.edu/z" is not in the config`},
		{"bad recipient", "achievement,recipient\nhttps://example.edu/a,ada\n", `line 2: --recipient "ada"`},
		{"bad completed", "achievement,recipient,completed\nhttps://example.edu/a,id:x:1,maybe\n", `line 2: completed "maybe"`},
		{"score without a description", "achievement,recipient,score\nhttps://example.edu/b,id:x:1,80\n", "line 2: a score for https://example.edu/b, which has 0 result descriptions"},
		{"ragged row", "achievement,recipient\nhttps://example.edu/a\n", "wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readBatch([]byte(tt.csv), batchAchievements, time.Now())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// FuzzReadBatch: any file is read into submissions or refused, never a
// panic, and every submission names a known achievement and a learner.
func FuzzReadBatch(f *testing.F) {
	f.Add([]byte("achievement,recipient,score,evidence,completed,name\nhttps://example.edu/a,emailAddress:a@b.c,87,x=https://e/1,true,A\n"))
	f.Add([]byte("achievement,recipient\n\"https://example.edu/b\",\"id:x:\"\"1\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		subs, err := readBatch(data, batchAchievements, time.Now())
		if err != nil {
			return
		}
		for _, s := range subs {
			if batchAchievements[s.AchievementID] == nil || (s.Learner.ID == "" && s.Learner.Email == "") {
				t.Fatalf("a submission %+v", s)
			}
		}
	})
}
