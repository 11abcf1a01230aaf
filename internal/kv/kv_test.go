package kv

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &Memory{Max: 2, Now: func() time.Time { return now }}
	steps := []struct {
		op, key string
		at      time.Duration // after now
		want    string
		err     error
	}{
		{op: "get", key: "a", err: ErrNotFound},
		{op: "put", key: "a", want: "1", at: time.Minute},
		{op: "put", key: "a", want: "2", at: time.Minute, err: ErrExists},
		{op: "get", key: "a", want: "1"},
		{op: "put", key: "b", want: "3", at: time.Second},
		{op: "put", key: "c", want: "4", at: time.Minute, err: ErrFull},
		{op: "tick", at: 2 * time.Second}, // b expires
		{op: "get", key: "b", err: ErrNotFound},
		{op: "put", key: "c", want: "4", at: time.Minute}, // b's room, swept
		{op: "take", key: "a", want: "1"},
		{op: "take", key: "a", err: ErrNotFound},
		{op: "tick", at: time.Minute},
		{op: "take", key: "c", err: ErrNotFound},          // expired
		{op: "put", key: "c", want: "5", at: time.Minute}, // an expired key may be put again
		{op: "get", key: "c", want: "5"},
		// Full again: a failed Put remembers the soonest expiry, and an
		// entry put since with an earlier one is still dropped in time.
		{op: "put", key: "d", want: "6", at: time.Hour},
		{op: "put", key: "e", want: "7", at: time.Hour, err: ErrFull},
		{op: "put", key: "e", want: "7", at: time.Hour, err: ErrFull},
		{op: "take", key: "d", want: "6"},
		{op: "put", key: "f", want: "8", at: time.Second},
		{op: "tick", at: 2 * time.Second}, // f expires
		{op: "put", key: "e", want: "7", at: time.Hour},
		{op: "get", key: "e", want: "7"},
		{op: "get", key: "c", want: "5"},
	}
	for i, s := range steps {
		var got []byte
		var err error
		switch s.op {
		case "tick":
			now = now.Add(s.at)
			continue
		case "put":
			err = m.Put(ctx, s.key, []byte(s.want), now.Add(s.at))
			got = []byte(s.want)
			if err != nil {
				got = nil
			}
		case "get":
			got, err = m.Get(ctx, s.key, now)
		case "take":
			got, err = m.Take(ctx, s.key, now)
		}
		if !errors.Is(err, s.err) || (s.err == nil && string(got) != s.want) {
			t.Errorf("step %d %s %s: %q %v, want %q %v", i, s.op, s.key, got, err, s.want, s.err)
		}
	}
}

// BenchmarkMemoryPutFull is a Put on a full Memory none of whose entries
// has expired: what a flood of registrations meets.
func BenchmarkMemoryPutFull(b *testing.B) {
	ctx := context.Background()
	now := time.Now()
	m := &Memory{Now: func() time.Time { return now }}
	for i := range DefaultMaxEntries {
		if err := m.Put(ctx, strconv.Itoa(i), nil, now.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if err := m.Put(ctx, "x", nil, now.Add(time.Hour)); !errors.Is(err, ErrFull) {
			b.Fatal(err)
		}
	}
}
