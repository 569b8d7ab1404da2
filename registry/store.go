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
// Seq, written only by inserts. Append must be atomic (all of the entry or
// none), must refuse, with an error wrapping ErrSeqTaken, an entry whose
// Seq is already taken (a primary key on Seq does both), and must refuse
// one whose Seq is not one past the last (a registry whose store lost its
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
	// Append stores e as the journal's entry e.Seq. It returns an error
	// wrapping ErrSeqTaken when that number is taken, and another error
	// when e.Seq is not one past the last.
	Append(ctx context.Context, e Entry) error
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

// Append stores e if e.Seq is one past the last entry. It returns an error
// wrapping ErrSeqTaken when e.Seq is taken, and another error when e.Seq
// is 0 or would leave a gap.
func (s *MemStore) Append(ctx context.Context, e Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := uint64(len(s.entries)) + 1
	switch {
	case e.Seq != 0 && e.Seq < next:
		return fmt.Errorf("registry: MemStore: entry %d: %w", e.Seq, ErrSeqTaken)
	case e.Seq != next:
		return fmt.Errorf("registry: MemStore: entry %d: the store ends at %d; entries must follow on", e.Seq, next-1)
	}
	e.Body = slices.Clone(e.Body)
	s.entries = append(s.entries, e)
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
