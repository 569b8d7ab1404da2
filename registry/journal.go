package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// Kind says what a journal entry records.
type Kind string

// The kinds of journal entry.
const (
	// KindStock adds projects and credit lots to the registry's inventory.
	// Body: {"projects": [...], "lots": [...]}, the form
	// offset.DecodeInventory reads.
	KindStock Kind = "stock"
	// KindAllocate gives credits to one product serial. Body:
	// {"demand": offset.Demand, "plan": offset.Plan}.
	KindAllocate Kind = "allocate"
	// KindRelease frees the credits of a serial's allocation (a product
	// returned, a sale cancelled). Body: {"allocation": the Seq of the
	// allocate entry, "reason": text}.
	KindRelease Kind = "release"
)

// GenesisHash is the Prev of the first entry: 64 zeros.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// maxSeq bounds sequence numbers so that every one is exact as a JSON
// number (2^53), which the canonical header writes.
const maxSeq = 1 << 53

// Entry is one record of the journal: append-only, numbered from 1, each
// entry chained to the one before by its hash.
//
// Hash is the lower-case hex SHA-256 of the entry's header, the RFC 8785
// canonical JSON of
//
//	{"body": hex SHA-256 of Body, "kind": Kind, "prev": Prev,
//	 "seq": Seq, "serial": Serial, "time": Time}
//
// with Time written in RFC 3339 in UTC with as many fractional-second
// digits as it needs (time.RFC3339Nano). Body is hashed as written, with
// only the whitespace between JSON tokens removed (as json.Compact does),
// so an entry survives being re-indented; a Store must otherwise keep it
// byte for byte (a bytes, text or json column, not one that re-encodes
// JSON such as PostgreSQL's jsonb). Anyone holding the entries can
// recompute every hash with a SHA-256 and a JSON canonicaliser; Verify
// does it.
//
// Entry is a plain value; the Registry makes them and a Store keeps them.
type Entry struct {
	// Seq is the entry's position in the journal, from 1.
	Seq uint64 `json:"seq"`
	// Time is when the registry wrote the entry (UTC).
	Time time.Time `json:"time"`
	// Kind says what the entry records and how to read Body.
	Kind Kind `json:"kind"`
	// Serial is the product serial of an allocate or release entry.
	Serial string `json:"serial,omitempty"`
	// Body is the entry's content as JSON (see Kind).
	Body json.RawMessage `json:"body"`
	// Prev is the Hash of entry Seq−1 (GenesisHash for entry 1).
	Prev string `json:"prev"`
	// Hash is the entry's own hash (see the type's doc).
	Hash string `json:"hash"`
}

// ComputeHash returns the hash e.Hash must hold, computed from the other
// fields; "" when Body is not JSON.
func (e Entry) ComputeHash() string {
	sum, ok := e.sum(false)
	if !ok {
		return ""
	}
	return hex.EncodeToString(sum[:])
}

// sum is ComputeHash's SHA-256, before it is written in hex; ok is false
// when Body is not JSON. valid says the caller already knows Body is JSON
// (replay does, for a body it has decoded), which spares checking it again;
// a spaced body is still refused when compacting finds it is not JSON, so
// that a caller mistaken about valid cannot make two bodies hash alike
// (Compact writes nothing when it fails).
func (e *Entry) sum(valid bool) (sum [sha256.Size]byte, ok bool) {
	b := []byte(e.Body)
	if !valid && !json.Valid(b) {
		return sum, false
	}
	if spaced(b) {
		var c bytes.Buffer
		if json.Compact(&c, b) != nil {
			return sum, false
		}
		b = c.Bytes()
	}
	body := sha256.Sum256(b)
	var buf [256]byte
	h := append(buf[:0], `{"body":"`...)
	h = hex.AppendEncode(h, body[:])
	h = append(h, `","kind":`...)
	h = jcs.AppendString(h, string(e.Kind))
	h = append(h, `,"prev":`...)
	h = jcs.AppendString(h, e.Prev)
	h = append(h, `,"seq":`...)
	h = strconv.AppendUint(h, e.Seq, 10)
	h = append(h, `,"serial":`...)
	h = jcs.AppendString(h, e.Serial)
	h = append(h, `,"time":"`...)
	// As jcs.AppendString would write it: the time has nothing to escape.
	h = e.Time.UTC().AppendFormat(h, time.RFC3339Nano)
	h = append(h, `"}`...)
	return sha256.Sum256(h), true
}

// spaced reports whether JSON text b has whitespace between its tokens
// (outside strings).
func spaced(b []byte) bool {
	in, esc := false, false
	for _, c := range b {
		switch {
		case esc:
			esc = false
		case in && c == '\\':
			esc = true
		case c == '"':
			in = !in
		case !in && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			return true
		}
	}
	return false
}

// Verify checks that entries are a journal, or a stretch of one that starts
// after an entry whose hash is prev (GenesisHash when entries start at
// Seq 1): sequence numbers follow on from one another, each entry's Prev is
// the hash of the one before, each Hash is what ComputeHash gives, and each
// kind is known. It does not read the bodies: Open and Sync check those as
// they apply them. It returns the hash of the last entry (prev when entries
// is empty). A failure wraps ErrJournal and names the entry.
func Verify(entries []Entry, prev string) (string, error) {
	for i, e := range entries {
		if i > 0 && e.Seq != entries[i-1].Seq+1 {
			return "", journalErr(e.Seq, "seq", strconv.FormatUint(e.Seq, 10), "must follow "+strconv.FormatUint(entries[i-1].Seq, 10))
		}
		if err := e.check(prev); err != nil {
			return "", err
		}
		prev = e.Hash
	}
	return prev, nil
}

// check verifies one entry's own fields and its link to prev.
func (e *Entry) check(prev string) error { return e.checkKnown(prev, false) }

// checkKnown is check; valid says the caller already knows Body is JSON.
func (e *Entry) checkKnown(prev string, valid bool) error {
	switch {
	case e.Seq == 0 || e.Seq >= maxSeq:
		return journalErr(e.Seq, "seq", strconv.FormatUint(e.Seq, 10), "must be from 1 to 2^53 − 1")
	case e.Seq == 1 && prev != GenesisHash:
		return journalErr(e.Seq, "seq", "1", "starts a journal, but an entry before it was given")
	case e.Seq != 1 && prev == GenesisHash:
		return journalErr(e.Seq, "seq", strconv.FormatUint(e.Seq, 10), "must be 1: no entry before it was given")
	case !utf8.ValidString(e.Serial) || !utf8.ValidString(e.Prev) || !utf8.ValidString(string(e.Kind)):
		return journalErr(e.Seq, "serial", e.Serial, "kind, serial and prev must be valid UTF-8")
	case e.Prev != prev:
		return journalErr(e.Seq, "prev", e.Prev, "must be the hash of the entry before ("+prev+")")
	case e.Kind != KindStock && e.Kind != KindAllocate && e.Kind != KindRelease:
		return journalErr(e.Seq, "kind", string(e.Kind), `must be "stock", "allocate" or "release"`)
	}
	sum, ok := e.sum(valid)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	switch {
	case !ok:
		return journalErr(e.Seq, "body", string(e.Body), "must be JSON")
	case e.Hash != string(h[:]):
		return journalErr(e.Seq, "hash", e.Hash, "does not match the entry's content (changed or damaged)")
	}
	return nil
}

// JournalError reports an entry that breaks the journal's rules: a broken
// chain, a changed entry, a body that cannot be read or that contradicts
// the entries before it. It wraps ErrJournal.
type JournalError struct {
	// Seq is the entry's sequence number.
	Seq uint64
	// Field is the entry's field ("hash", "prev", "body.plan", ...).
	Field string
	// Value is the offending value, shortened.
	Value string
	// Rule says what was expected.
	Rule string
	// Err is the underlying error, if any (an offset error for a body that
	// does not apply).
	Err error
}

// Error formats the error as `registry: journal entry 7: hash: rule, got "value"`.
func (e *JournalError) Error() string {
	v := e.Value
	if len(v) > 80 {
		v = v[:80] + "..."
	}
	s := fmt.Sprintf("registry: journal entry %d: %s: %s, got %q", e.Seq, e.Field, e.Rule, v)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns ErrJournal and the underlying error.
func (e *JournalError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrJournal, e.Err}
	}
	return []error{ErrJournal}
}

func journalErr(seq uint64, field, value, rule string) error {
	return &JournalError{Seq: seq, Field: field, Value: value, Rule: rule}
}

// Sentinels wrapped by this package's errors; match them with errors.Is.
var (
	// ErrJournal: the journal read from the store is not one this package
	// wrote, or has been changed (see JournalError).
	ErrJournal = errors.New("registry: journal is damaged")
	// ErrSeqTaken is what a Store returns from Append when an entry with
	// that sequence number already exists (another writer was first), or
	// when the first entry's Prev is not the hash of the stored entry
	// before it (the store's journal is not the one the writer read). The
	// Registry then reads the new entries and tries again, or fails with
	// ErrJournal if the store no longer holds the entries it has read or
	// written.
	ErrSeqTaken = errors.New("registry: sequence number already taken")
	// ErrAllocated: the serial already holds an allocation for a different
	// demand; release it first.
	ErrAllocated = errors.New("registry: serial already has an allocation")
	// ErrNotAllocated: the serial holds no allocation to release.
	ErrNotAllocated = errors.New("registry: serial has no allocation")
	// ErrBusy: other writers kept appending to the store while this
	// registry tried to; the operation was not done. Try again.
	ErrBusy = errors.New("registry: store kept changing; try again")
)
