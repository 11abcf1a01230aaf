package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sync"
)

// Sizes of bitstring status lists.
const (
	// MinListLength is the fewest entries a bitstring status list may have:
	// 131,072, 16 KiB of bits, the W3C Recommendation's minimum, which gives
	// the holders of a list's credentials herd privacy.
	MinListLength = 131072
	// MaxListLength is the most entries a Registry gives one list:
	// 16,777,216 (2 MiB of bits). Use more lists rather than longer ones.
	MaxListLength = 1 << 24
	// DefaultMaxListBytes bounds what an encoded list may decompress to when
	// no other limit is given: 16 MiB, 134,217,728 entries.
	DefaultMaxListBytes = 16 << 20
)

// A Bitstring holds the bits of a status list, index 0 first: bit i is bit
// 7-i%8 (most significant first) of byte i/8, as the W3C Bitstring Status
// List lays it out. Its length in bits is 8*len(b).
type Bitstring []byte

// NewBitstring returns a Bitstring of length bits, all zero. length must be
// a positive multiple of 8.
func NewBitstring(length int) (Bitstring, error) {
	if length <= 0 || length%8 != 0 {
		return nil, fmt.Errorf("%w: a bitstring's length must be a positive multiple of 8, not %d", ErrMalformed, length)
	}
	return make(Bitstring, length/8), nil
}

// Len returns the number of bits.
func (b Bitstring) Len() int { return 8 * len(b) }

// Bit reports whether bit i is set. An i outside [0, Len()) is an error
// wrapping ErrIndexOutOfRange.
func (b Bitstring) Bit(i int) (bool, error) {
	if i < 0 || i >= b.Len() {
		return false, fmt.Errorf("%w: %d is not below the list's length %d", ErrIndexOutOfRange, i, b.Len())
	}
	return b[i/8]&(0x80>>(i%8)) != 0, nil
}

// Set sets bit i to v. An i outside [0, Len()) is an error wrapping
// ErrIndexOutOfRange.
func (b Bitstring) Set(i int, v bool) error {
	if i < 0 || i >= b.Len() {
		return fmt.Errorf("%w: %d is not below the list's length %d", ErrIndexOutOfRange, i, b.Len())
	}
	if v {
		b[i/8] |= 0x80 >> (i % 8)
	} else {
		b[i/8] &^= 0x80 >> (i % 8)
	}
	return nil
}

// Value returns the status value of entry i of a list whose entries take
// size bits each: the bits from i*size to i*size+size-1, the first the most
// significant, as the W3C Bitstring Status List reads an entry of
// statusSize bits. An entry not wholly inside the bitstring is an error
// wrapping ErrIndexOutOfRange; a size outside [1, MaxStatusSize] is an
// error wrapping ErrUnsupported.
func (b Bitstring) Value(i, size int) (int, error) {
	first, err := b.entryBits(i, size)
	if err != nil {
		return 0, err
	}
	v := 0
	for k := first; k < first+size; k++ {
		v <<= 1
		if b[k/8]&(0x80>>(k%8)) != 0 {
			v |= 1
		}
	}
	return v, nil
}

// SetValue sets entry i of a list whose entries take size bits each to v,
// the first bit the most significant, with the rules of Value. A v that
// does not fit in size bits is an error wrapping ErrMalformed.
func (b Bitstring) SetValue(i, size, v int) error {
	first, err := b.entryBits(i, size)
	if err != nil {
		return err
	}
	if v < 0 || v >= 1<<size {
		return fmt.Errorf("%w: status value %d does not fit in %d bits", ErrMalformed, v, size)
	}
	for k := range size {
		bit := first + k
		if v&(1<<(size-1-k)) != 0 {
			b[bit/8] |= 0x80 >> (bit % 8)
		} else {
			b[bit/8] &^= 0x80 >> (bit % 8)
		}
	}
	return nil
}

// entryBits returns the position of the first bit of entry i of size bits.
func (b Bitstring) entryBits(i, size int) (int, error) {
	if size < 1 || size > MaxStatusSize {
		return 0, fmt.Errorf("%w: statusSize %d (this package reads 1 to %d)", ErrUnsupported, size, MaxStatusSize)
	}
	if i < 0 || i >= b.Len()/size {
		return 0, fmt.Errorf("%w: entry %d of %d bits is not inside the list's %d bits", ErrIndexOutOfRange, i, size, b.Len())
	}
	return i * size, nil
}

// Count returns the number of set bits.
func (b Bitstring) Count() int {
	n := 0
	i := 0
	for ; i+8 <= len(b); i += 8 {
		n += bits.OnesCount64(binary.BigEndian.Uint64(b[i:]))
	}
	for ; i < len(b); i++ {
		n += bits.OnesCount8(b[i])
	}
	return n
}

// nthZero returns the index of the n-th (from 0) unset bit, or -1 if there
// are not that many.
func (b Bitstring) nthZero(n int) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := ^binary.BigEndian.Uint64(b[i:])
		c := bits.OnesCount64(w)
		if n >= c {
			n -= c
			continue
		}
		for j := range 64 {
			if w&(1<<(63-j)) != 0 {
				if n == 0 {
					return 8*i + j
				}
				n--
			}
		}
	}
	for ; i < len(b); i++ {
		w := ^b[i]
		c := bits.OnesCount8(w)
		if n >= c {
			n -= c
			continue
		}
		for j := range 8 {
			if w&(0x80>>j) != 0 {
				if n == 0 {
					return 8*i + j
				}
				n--
			}
		}
	}
	return -1
}

// gzipWriters keeps GZIP writers for reuse: a new one allocates its
// compression tables (about a megabyte), which costs far more than
// compressing a list.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression) // a valid level cannot fail
	return zw
}}

// storeWriters keeps the GZIP writers of encodeStored, which compress at
// gzip.BestSpeed: for a list of 131,072 bits, 20 to 190 µs to compress and
// to decompress together (with 0.05% to 10% of the bits set, at random, as
// in Allocated), where DefaultCompression takes 0.15 to 0.96 ms, for a
// size within 15% of it. gzip.HuffmanOnly compresses fast too, but its
// output, all literals, decompresses 10 times slower when few bits are set
// (as in Status).
var storeWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed) // a valid level cannot fail
	return zw
}}

// Encode returns the bitstring as an encodedList: "u" (the multibase prefix
// of base64url) followed by the base64url encoding, without padding, of the
// GZIP compression of its bytes. The GZIP header carries no name and no
// time, so the same bits always encode to the same string.
func (b Bitstring) Encode() string {
	return b.encode(&gzipWriters)
}

// encodeStored is Encode for a Store's copy of a list (List.MarshalJSON),
// which is written at every allocation: compressed faster and a little
// less, in the same format, so that ParseBitstring (of any version) reads
// it. What is published is compressed by Encode.
func (b Bitstring) encodeStored() string {
	return b.encode(&storeWriters)
}

func (b Bitstring) encode(writers *sync.Pool) string {
	var buf bytes.Buffer
	zw := writers.Get().(*gzip.Writer)
	zw.Reset(&buf)
	// Writing to a bytes.Buffer cannot fail; a Buffer that cannot grow
	// panics instead.
	_, _ = zw.Write(b)
	_ = zw.Close()
	zw.Reset(io.Discard)
	writers.Put(zw)
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// ParseBitstring decodes an encodedList: a multibase base64url string ("u"
// and base64url without padding) of GZIP-compressed bytes. Decompression
// stops once the output exceeds maxBytes (DefaultMaxListBytes if maxBytes
// is zero or less), so a small input that would expand to gigabytes (a
// gzip bomb) costs at most maxBytes of memory and fails with an error
// wrapping ErrListTooLarge; a string too long to decompress within maxBytes
// is refused before it is decoded. Any other fault (a missing "u", a
// character outside the base64url alphabet, padding, data that is not GZIP,
// a bad checksum) wraps ErrMalformed.
//
// It does not check the length against MinListLength: the caller decides.
func ParseBitstring(encodedList string, maxBytes int) (Bitstring, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxListBytes
	}
	rest, ok := cutMultibaseBase64URL(encodedList)
	if !ok {
		return nil, fmt.Errorf("%w: an encodedList must start with \"u\" (multibase base64url)", ErrMalformed)
	}
	// DEFLATE adds at most 5 bytes per 64 KiB stored block; GZIP adds a
	// header and a trailer. Anything longer than this cannot decompress
	// within the limit, so it is not even decoded.
	maxCompressed := maxBytes + 5*(maxBytes/65535+1) + 1024
	if len(rest) > base64.RawURLEncoding.EncodedLen(maxCompressed) {
		return nil, fmt.Errorf("%w: the encodedList is %d characters, too long to decompress to at most %d bytes", ErrListTooLarge, len(encodedList), maxBytes)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: the encodedList is not base64url without padding: %w", ErrMalformed, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: the encodedList is not GZIP data: %w", ErrMalformed, err)
	}
	var out bytes.Buffer
	// The GZIP trailer's ISIZE (the length modulo 2^32) sizes the buffer
	// when it is within the limit; it is only a hint.
	if n := len(raw); n >= 4 {
		if isize := int(binary.LittleEndian.Uint32(raw[n-4:])); isize > 0 && isize <= maxBytes {
			out.Grow(isize)
		}
	}
	if _, err := out.ReadFrom(io.LimitReader(zr, int64(maxBytes)+1)); err != nil {
		if errors.Is(err, bytes.ErrTooLarge) {
			return nil, fmt.Errorf("%w: %w", ErrListTooLarge, err)
		}
		return nil, fmt.Errorf("%w: the encodedList does not decompress: %w", ErrMalformed, err)
	}
	if out.Len() > maxBytes {
		return nil, fmt.Errorf("%w: the encodedList decompresses to more than %d bytes", ErrListTooLarge, maxBytes)
	}
	if out.Len() == 0 {
		return nil, fmt.Errorf("%w: the encodedList decompresses to nothing", ErrMalformed)
	}
	return Bitstring(out.Bytes()), nil
}

// cutMultibaseBase64URL strips the multibase prefix "u" of base64url
// without padding.
func cutMultibaseBase64URL(s string) (string, bool) {
	if len(s) < 2 || s[0] != 'u' {
		return "", false
	}
	return s[1:], true
}
