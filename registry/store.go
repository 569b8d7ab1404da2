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
// batch's) atomically: all of them or none, in one transaction. It is a
// compare-and-set on the chain: it must refuse, with an error wrapping
// ErrSeqTaken, a run whose first Seq is already taken (a primary key on Seq
// does that) and a run whose first entry's Prev is not the Hash of the
// stored entry Seq−1 (GenesisHash when Seq is 1), checked in the same
// statement or transaction as the insert, so that no other append comes
// between; and it must refuse, with another error, a run that does not
// start one past the last entry. Without the check of Prev, a registry
// whose store lost its tail (restored from an old backup) and was then
// written by another registry would append on top of entries it never
// read: two allocations of the same grams, and a journal that no longer
// opens. The registry then reads the store, finds that the store's journal
// no longer holds the entries it has read or written, and fails with
// ErrJournal instead of writing. The check of Prev is a change to the
// contract, which used to ask only for the check of Seq: a Store of your
// own that checks only Seq must add it, in the insert's condition (e.g.
// "AND $prev = coalesce((SELECT hash FROM journal WHERE seq = $seq − 1),
// GenesisHash)", as registry/pgstore does) or under the same lock or
// transaction. Entries are never updated or deleted. Read returns what
// Append stored: the same Body (re-indenting is harmless; see Entry) and
// the same instant to the microsecond (a column that keeps only seconds
// breaks every hash; the time zone does not matter).
//
// Several Registry values, in one process or many, may share one Store:
// each appends at the sequence number after the last entry it has read,
// and the one that loses a race reads the new entries and tries again.
// A Store must be safe for concurrent use.
type Store interface {
	// Append stores entries, whose Seqs follow on from one another, as the
	// journal's next entries, all or none. It returns an error wrapping
	// ErrSeqTaken when entries[0].Seq is taken or entries[0].Prev is not
	// the Hash of the stored entry entries[0].Seq−1 (GenesisHash for entry
	// 1), and another error when entries[0].Seq is not one past the last.
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
// It returns an error wrapping ErrSeqTaken when entries[0].Seq is taken or
// entries[0].Prev is not the Hash of the last entry (GenesisHash in an
// empty store), and another error when the run does not start one past
// the last entry or its Seqs do not follow on.
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
	prev := GenesisHash
	if first > 1 {
		prev = s.entries[first-2].Hash
	}
	if entries[0].Prev != prev {
		return fmt.Errorf("registry: MemStore: entry %d: its prev is not the hash of entry %d in the store: %w", first, first-1, ErrSeqTaken)
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
