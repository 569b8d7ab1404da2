package registry

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Store keeps the journal: the caller's database behind the Registry.
//
// The contract is small so that any database can meet it: a table keyed by
// Seq, written only by inserts. Append stores a run of entries (one, or a
// batch's) atomically: all of them or none, in one transaction. It must
// refuse, with an error wrapping ErrSeqTaken, a run whose first Seq is
// already taken (a primary key on Seq does that), and must refuse one that
// does not start one past the last entry (a registry whose store lost its
// tail, restored from an old backup, would otherwise write past a gap).
// Entries are never updated or deleted. Read returns what Append stored:
// the same Body (re-indenting is harmless; see Entry) and the same instant
// to the microsecond (a column that keeps only seconds breaks every hash;
// the time zone does not matter).
//
// Several Registry values, in one process or many, may share one Store:
// each appends at the sequence number after the last entry it has read,
// and the one that loses a race reads the new entries and tries again.
// A Store must be safe for concurrent use.
type Store interface {
	// Append stores entries, whose Seqs follow on from one another, as the
	// journal's next entries, all or none. It returns an error wrapping
	// ErrSeqTaken when entries[0].Seq is taken, and another error when it
	// is not one past the last.
	Append(ctx context.Context, entries []Entry) error
	// Read returns, in order, at most max entries with Seq ≥ from (fewer,
	// or none, at the end of the journal).
	Read(ctx context.Context, from uint64, max int) ([]Entry, error)
}

// MemStore is a Store in memory: the default for tests, notebooks and
// single-process use, and the reference for what a Store does. It keeps
// copies of the entries it is given and hands out copies. It is safe for
// concurrent use. Its zero value is an empty store.
type MemStore struct {
	mu      sync.RWMutex
	entries []Entry
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{} }

// Append stores copies of entries if they follow on from the last entry.
// It returns an error wrapping ErrSeqTaken when entries[0].Seq is taken,
// and another error when the run does not start one past the last entry or
// its Seqs do not follow on.
func (s *MemStore) Append(ctx context.Context, entries []Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := uint64(len(s.entries)) + 1
	first := entries[0].Seq
	switch {
	case first != 0 && first < next:
		return fmt.Errorf("registry: MemStore: entry %d: %w", first, ErrSeqTaken)
	case first != next:
		return fmt.Errorf("registry: MemStore: entry %d: the store ends at %d; entries must follow on", first, next-1)
	}
	for i, e := range entries {
		if e.Seq != first+uint64(i) {
			return fmt.Errorf("registry: MemStore: entry %d follows entry %d; entries must follow on", e.Seq, first+uint64(i)-1)
		}
	}
	for _, e := range entries {
		e.Body = slices.Clone(e.Body)
		s.entries = append(s.entries, e)
	}
	return nil
}

// Read returns copies of at most max entries from Seq from on.
func (s *MemStore) Read(ctx context.Context, from uint64, max int) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if from == 0 {
		from = 1
	}
	if max <= 0 || from > uint64(len(s.entries)) {
		return nil, nil
	}
	end := min(uint64(len(s.entries)), from-1+uint64(max))
	out := slices.Clone(s.entries[from-1 : end])
	for i := range out {
		out[i].Body = slices.Clone(out[i].Body)
	}
	return out, nil
}

// Len returns the number of entries stored.
func (s *MemStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.entries)
}
