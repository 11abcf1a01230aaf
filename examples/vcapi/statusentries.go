package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/go-openbadges/openbadges/status"
)

// statusWant is one status entry a request to issue asks for.
type statusWant struct {
	purpose status.Purpose
	// size is a message entry's statusSize, messages and reference its
	// statusMessage and statusReference (empty: none, or for a message
	// entry without statusSize and messages, the server's default).
	size      int
	messages  []status.StatusMessage
	reference []string
}

// The default message entry: the W3C Recommendation's example, with the
// value it leaves out said to be undefined, as it suggests.
const defaultMessageSize = 2

func defaultMessages() []status.StatusMessage {
	return status.NewStatusMessages("pending_review", "accepted", "rejected", "undefined")
}

// wantsOf makes the server's default purposes status requests.
func wantsOf(purposes []status.Purpose) []statusWant {
	var out []statusWant
	for _, p := range purposes {
		out = append(out, statusWant{purpose: p})
	}
	return out
}

// parseStatusOptions reads options.credentialStatus: true (a revocation
// entry), false (none, even if the server adds some by default), a purpose
// ("revocation", "suspension", "message"), an object with a statusPurpose
// (and optionally a type, which must be BitstringStatusListEntry; for a
// message entry statusSize, statusMessage and statusReference), or an
// array of purposes or such objects, one per purpose.
//
// A message entry without statusSize and statusMessage gets the server's
// default: 2 bits, "pending_review", "accepted", "rejected",
// "undefined". With statusSize 2 and no statusMessage it gets those
// messages too, with statusSize 1 none ("unset" and "set", as the W3C
// Recommendation says); any other statusSize needs its statusMessage.
// Without statusSize, an entry is of 1 bit, as the Recommendation says.
func parseStatusOptions(raw json.RawMessage) ([]statusWant, error) {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		if b {
			return []statusWant{{purpose: status.Revocation}}, nil
		}
		return nil, nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	if len(list) > 3 {
		return nil, errors.New("at most one entry per purpose")
	}
	var out []statusWant
	for _, item := range list {
		w, err := parseStatusWant(item)
		if err != nil {
			return nil, err
		}
		for _, o := range out {
			if o.purpose == w.purpose {
				return nil, fmt.Errorf("statusPurpose %q asked for twice", w.purpose)
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// parseStatusWant reads one item of options.credentialStatus.
func parseStatusWant(item json.RawMessage) (statusWant, error) {
	var w statusWant
	var p string
	if json.Unmarshal(item, &p) == nil {
		w.purpose = status.Purpose(p)
		if w.purpose == status.Message {
			w.size, w.messages = defaultMessageSize, defaultMessages()
		}
		return w, checkPurpose(w.purpose)
	}
	obj, err := members(item)
	if err != nil {
		return w, errors.New("want true, a purpose, an object with a statusPurpose, or an array of these")
	}
	str := func(name string) (string, error) {
		var s string
		if v, ok := obj[name]; ok && json.Unmarshal(v, &s) != nil {
			return "", fmt.Errorf("%s is not a string", name)
		}
		return s, nil
	}
	typ, err := str("type")
	if err != nil {
		return w, err
	}
	if typ != "" && typ != "BitstringStatusListEntry" {
		return w, fmt.Errorf("type %q is not supported: only BitstringStatusListEntry", typ)
	}
	if p, err = str("statusPurpose"); err != nil {
		return w, err
	}
	w.purpose = status.Purpose(p)
	if err := checkPurpose(w.purpose); err != nil {
		return w, err
	}
	rawSize, hasSize := obj["statusSize"]
	if hasSize {
		if err := json.Unmarshal(rawSize, &w.size); err != nil || w.size < 1 {
			return w, fmt.Errorf("statusSize %s is not a positive integer", rawSize)
		}
		if w.purpose != status.Message && w.size != 1 {
			return w, fmt.Errorf("a %s entry here is a single bit; statusSize is for a message entry", w.purpose)
		}
	}
	if v, ok := obj["statusMessage"]; ok {
		var msgs []struct {
			Status  *string `json:"status"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(v, &msgs); err != nil || msgs == nil {
			return w, errors.New("statusMessage is not an array of objects with a status and a message")
		}
		w.messages = make([]status.StatusMessage, 0, len(msgs)) // present, even if empty
		for i, m := range msgs {
			if m.Status == nil || m.Message == nil {
				return w, fmt.Errorf("statusMessage[%d] needs a status and a message", i)
			}
			w.messages = append(w.messages, status.StatusMessage{Status: *m.Status, Message: *m.Message})
		}
	}
	if v, ok := obj["statusReference"]; ok {
		var refs status.References
		if err := refs.UnmarshalJSON(v); err != nil {
			return w, err
		}
		w.reference = refs
	}
	switch {
	case w.purpose != status.Message:
	case !hasSize && w.messages == nil:
		w.size, w.messages = defaultMessageSize, defaultMessages()
	case !hasSize:
		w.size = 1
	case w.messages == nil && w.size == defaultMessageSize:
		w.messages = defaultMessages()
	case w.messages == nil && w.size > 1:
		return w, fmt.Errorf("a message entry of statusSize %d needs a statusMessage: one message for each of its %d values", w.size, 1<<min(w.size, 30))
	}
	return w, nil
}

func checkPurpose(p status.Purpose) error {
	if p != status.Revocation && p != status.Suspension && p != status.Message {
		return fmt.Errorf("statusPurpose %q is not supported: use revocation, suspension or message", p)
	}
	return nil
}

// errStatusRequest marks an allocation refused for what the request asked
// (a statusMessage that does not fit its statusSize, a statusSize too
// large): the client's fault, 400.
var errStatusRequest = errors.New("options.credentialStatus")

// allocateEntries allocates the entries wants asks for in ik's lists, in
// the order asked. Message entries go first: their messages are checked
// before anything is allocated, so a request refused for them uses up no
// index.
func (s *server) allocateEntries(ctx context.Context, ik *issuerKey, wants []statusWant) ([]status.Entry, error) {
	entries := make([]status.Entry, len(wants))
	defer s.listsMayHaveChanged()
	for _, first := range []bool{true, false} {
		for i, w := range wants {
			if (w.purpose == status.Message) != first {
				continue
			}
			url := s.listURL(ik, w.purpose)
			if w.purpose == status.Message {
				url = s.messageListURL(ik, w.size)
				_, err := s.registry.Create(ctx, url, &status.ListOptions{Purpose: status.Message, StatusSize: w.size})
				switch {
				case errors.Is(err, status.ErrMalformed), errors.Is(err, status.ErrUnsupported):
					return nil, fmt.Errorf("%w: %w", errStatusRequest, err)
				case err != nil && !errors.Is(err, status.ErrExists):
					return nil, err
				}
			}
			e, err := s.registry.AllocateWith(ctx, url, &status.AllocateOptions{StatusMessage: w.messages, StatusReference: w.reference})
			switch {
			case errors.Is(err, status.ErrMalformed), errors.Is(err, status.ErrUnsupported):
				return nil, fmt.Errorf("%w: %w", errStatusRequest, err)
			case err != nil:
				return nil, err
			}
			entries[i] = *e
		}
	}
	return entries, nil
}

// messageListURL is the URL of the first list of ik's message entries of
// size bits, which the first request for one creates.
func (s *server) messageListURL(ik *issuerKey, size int) string {
	return s.cfg.BaseURL + "/status/" + ik.name + "/" + string(status.Message) + "-" + strconv.Itoa(size) + "/1"
}
