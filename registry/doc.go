// Package registry is the book of record for offset credits: the lots a
// seller holds, which grams of them each product serial holds, and an
// append-only, hash-chained journal of every change, kept in a Store the
// caller provides. It makes sure no gram of credit is counted twice.
//
// # Types
//
// Registry applies the operations. AddStock adds projects and credit lots;
// Allocate covers an offset.Demand for one product serial with
// offset.Match's rules and records the Plan; AllocateBatch does the same
// for many demands in one store append (one database commit for an ERP
// batch), with a Result per demand; Release frees a serial's credits again
// (a product returned). Each operation writes its Entry (a batch, its run
// of entries) to the Store, and only once it is stored does the operation
// count: the registry's state is always exactly what its journal says. Open
// rebuilds a Registry from a Store, verifying and replaying every entry.
//
// Allocation is what one serial holds: the demand and the plan.
//
// Entry is one journal record: a sequence number from 1, a time, a kind
// (stock, allocate, release), the product serial, a JSON body, the hash of
// the entry before and its own hash (SHA-256 over an RFC 8785 canonical
// header; see Entry). Changing, removing or reordering any entry breaks the
// chain from there on, and Verify (or Open) names the first entry that
// fails. Entries removed from the end leave a shorter journal that is
// still whole: only a head published earlier (Head, now and then, to
// somewhere the store's keeper cannot rewrite) shows that the journal
// someone is shown extends the one they saw.
//
// Store is the journal's storage: Append a run of entries at the next
// sequence number, all or none, refusing with ErrSeqTaken a taken number
// and a first entry whose Prev is not the hash of the stored entry before
// it (a compare-and-set on the chain, not only on the number: a Store of
// your own must check both), and Read entries in order.
// With a table keyed by the sequence number, any database meets it.
// MemStore keeps the journal in memory, for tests, notebooks and
// single-process use; the module github.com/lifecarbon/lifecarbon/registry/pgstore
// keeps it in PostgreSQL.
//
// # Guarantees
//
// No double counting: an allocation is matched against the grams the
// journal says are free, and a serial holds at most one allocation at a
// time. Allocate is idempotent per serial (the same demand again returns
// the first allocation), so a checkout can retry after a timeout. A
// demand is recorded with its beneficiary, the party in whose name the
// credits are retired: the same serial asked for another beneficiary is
// another demand (ErrAllocated), so no two parties hold the same grams.
// (An allocation journaled before demands carried a beneficiary holds a
// demand without one: a retry of that sale that names its beneficiary is
// another demand and fails with ErrAllocated; so does a retry of one whose
// serial has white space at either end, which a demand may no longer
// have. Both replay as they were.) An
// append the store reports as failed is read back before the answer: if
// its entries were stored (a database that commits and then reports a
// deadline or a lost connection), the operation succeeds. Only when the
// read fails too (bounded by Options.ConfirmTimeout) is a caller told
// "failed" for entries that may be stored. Then the same call again tells
// what happened: Allocate and AllocateBatch return the allocation stored;
// Release fails with ErrNotAllocated when its release was stored (check
// with Allocation, or Sync first); AddStock fails on the duplicate IDs of
// the stock it stored (compare Inventory). A serial
// is released only if it holds an allocation, and the release frees exactly
// that allocation's grams (offset.Inventory.Release alone cannot know whose
// grams it frees; the registry does).
//
// Several writers: a Registry serialises its own operations and is safe
// for concurrent use. Concurrent Allocate calls share store appends (group
// commit): while one call writes, the others wait, and the next records
// all of them in one append, each as if made alone after the ones before;
// against a database, many checkouts at once then cost few commits. A
// failed append is retried call by call, so each call fails only for its
// own reasons; an append of several calls that panics is retried call by
// call too, so the panic, if it comes again, comes to the call whose entry
// causes it. After a panic in the caller's Store or clock the registry
// rebuilds its state from the journal before its next operation (reads
// until then show the state as the panic left it).
// Registries in several processes may share one Store:
// each writes at the number after the last entry it has read; the one that
// loses the race reads the new entries and redoes its work on them (up to
// Options.Retries times, then ErrBusy). Call Sync to read other writers'
// entries before a read. Each read of the store first checks that the
// store still holds the last entry the registry has read or written: if
// the store was restored from an old backup and lost it (and perhaps
// another writer has appended since), the registry fails with ErrJournal
// and writes nothing more, rather than count grams twice.
//
// Time and cost: entry times come from Options.Now (time.Now by default),
// in UTC, truncated to the microsecond. Allocate costs one Store read (for
// other writers' entries), one offset match (on the registry's
// offset.Matcher, without copying the inventory), a JSON encoding of the
// plan and one Store append (shared with the calls waiting at the same
// time); AllocateBatch, one read and one append per 256 demands; AddStock
// rebuilds the
// inventory, O(lots); Open replays the journal in one pass. Memory is the
// inventory plus the live allocations.
//
// # Errors
//
// Every error starts "registry: ". Offset's errors (a bad demand,
// preferences that cannot be met, an invalid lot) are wrapped, so
// errors.Is and errors.As still find offset's sentinels and field errors.
// This package's sentinels: ErrAllocated, ErrNotAllocated, ErrBusy, and ErrJournal (a
// *JournalError naming the entry, the field and the rule) when the journal
// read from the store is damaged or contradicts itself. A Store's own
// errors are wrapped.
package registry
