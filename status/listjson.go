package status

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// listFormat names the JSON form of a List, for a reader to recognize.
const listFormat = "openbadges-status-list/1"

// MaxListJSONBytes bounds the JSON form of a List that UnmarshalJSON and a
// DirStore read.
const MaxListJSONBytes = 64 << 20

// listJSON is the JSON form of a List.
type listJSON struct {
	Format    string        `json:"format"`
	URL       string        `json:"url"`
	Method    Method        `json:"method"`
	Purpose   Purpose       `json:"purpose"`
	Length    int           `json:"length,omitempty"`
	Status    string        `json:"status,omitempty"`
	Allocated string        `json:"allocated,omitempty"`
	Revoked   []revokedJSON `json:"revoked,omitempty"`
	Next      string        `json:"next,omitempty"`
	Created   time.Time     `json:"created"`
	Updated   time.Time     `json:"updated"`
	Revision  uint64        `json:"revision"`
	// Written only for lists that have them, so that a list of single-bit
	// entries without messages is written as it always was.
	StatusSize      int             `json:"statusSize,omitempty"`
	StatusMessage   []StatusMessage `json:"statusMessage,omitempty"`
	StatusReference []string        `json:"statusReference,omitempty"`
}

type revokedJSON struct {
	ID      string    `json:"id"`
	Reason  string    `json:"reason,omitempty"`
	Revoked time.Time `json:"revoked"`
}

// MarshalJSON encodes the list as a DirStore writes it, a form a Store
// that keeps lists as blobs (a database column) may use too:
//
//	{"format":"openbadges-status-list/1","url":"https://…","method":"BitstringStatusList",
//	 "purpose":"revocation","length":131072,"status":"uH4sI…","allocated":"uH4sI…",
//	 "next":"https://…","created":"…","updated":"…","revision":7}
//
// with status and allocated encoded as an encodedList is (GZIP, base64url;
// compressed faster than Bitstring.Encode compresses what is published),
// and for a 1EdTech list "revoked":[{"id":…,"reason":…,"revoked":…}] instead
// of the bits. A list whose entries take more than one bit adds
// "statusSize" (status then has length*statusSize bits), and a list with
// default messages or references adds "statusMessage" and
// "statusReference", as an entry writes them. An inconsistent list is an
// error.
func (l List) MarshalJSON() ([]byte, error) {
	if err := l.validate(); err != nil {
		return nil, err
	}
	j := listJSON{
		Format: listFormat, URL: l.URL, Method: l.Method, Purpose: l.Purpose, Next: l.Next,
		Created: l.Created.UTC(), Updated: l.Updated.UTC(), Revision: l.Revision,
	}
	if l.Method == MethodBitstring {
		j.Length = l.Length()
		j.Status = l.Status.encodeStored()
		j.Allocated = l.Allocated.encodeStored()
		if l.StatusSize > 1 {
			j.StatusSize = l.StatusSize
		}
		j.StatusMessage = l.StatusMessage
		j.StatusReference = l.StatusReference
	}
	for _, r := range l.Revoked {
		j.Revoked = append(j.Revoked, revokedJSON{ID: r.ID, Reason: r.Reason, Revoked: r.Revoked.UTC()})
	}
	data, err := jsonobj.Marshal(j)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxListJSONBytes {
		return nil, fmt.Errorf("%w: list %s encodes to more than %d bytes", ErrListTooLarge, l.URL, MaxListJSONBytes)
	}
	return data, nil
}

// UnmarshalJSON decodes what MarshalJSON encodes, refusing unknown members,
// documents over MaxListJSONBytes, bitstrings whose length is not the
// list's, and inconsistent lists, with errors wrapping ErrMalformed (or
// ErrListTooLarge).
func (l *List) UnmarshalJSON(data []byte) error {
	if len(data) > MaxListJSONBytes {
		return fmt.Errorf("%w: a list document is larger than %d bytes", ErrListTooLarge, MaxListJSONBytes)
	}
	if err := jsonobj.Scan(data, MaxListJSONBytes, 8); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var j listJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: a list document: %w", ErrMalformed, err)
	}
	if j.Format != listFormat {
		return fmt.Errorf("%w: a list document of format %q, want %q", ErrMalformed, j.Format, listFormat)
	}
	n := List{
		URL: j.URL, Method: j.Method, Purpose: j.Purpose, Next: j.Next,
		Created: j.Created, Updated: j.Updated, Revision: j.Revision,
		StatusMessage: j.StatusMessage, StatusReference: j.StatusReference,
	}
	if j.Method == MethodBitstring {
		if j.Length < MinListLength || j.Length > MaxListLength || j.Length%8 != 0 {
			return fmt.Errorf("%w: list %s: length %d", ErrMalformed, j.URL, j.Length)
		}
		n.StatusSize = j.StatusSize
		if n.StatusSize == 0 {
			n.StatusSize = 1
		}
		if n.StatusSize < 1 || n.StatusSize > MaxStatusSize {
			return fmt.Errorf("%w: list %s: statusSize %d", ErrMalformed, j.URL, j.StatusSize)
		}
		for _, b := range []struct {
			name string
			enc  string
			bits int
			dst  *Bitstring
		}{{"status", j.Status, j.Length * n.StatusSize, &n.Status}, {"allocated", j.Allocated, j.Length, &n.Allocated}} {
			bits, err := ParseBitstring(b.enc, b.bits/8)
			if err != nil {
				return fmt.Errorf("list %s: %s: %w", j.URL, b.name, err)
			}
			if bits.Len() != b.bits {
				return fmt.Errorf("%w: list %s: %s has %d bits, want %d", ErrMalformed, j.URL, b.name, bits.Len(), b.bits)
			}
			*b.dst = bits
		}
	} else if j.Length != 0 || j.Status != "" || j.Allocated != "" || j.StatusSize != 0 {
		return fmt.Errorf("%w: list %s: a %s list has no bits", ErrMalformed, j.URL, j.Method)
	}
	for _, r := range j.Revoked {
		n.Revoked = append(n.Revoked, RevokedCredential(r))
	}
	if err := n.validate(); err != nil {
		return err
	}
	*l = n
	return nil
}
