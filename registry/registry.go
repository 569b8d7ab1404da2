package registry

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/strictjson"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// readBatch is how many entries Open and Sync read from the store at a time.
const readBatch = 1024

// defaultRetries is how many times an operation is tried again after losing
// a race for a sequence number, when Options.Retries is 0.
const defaultRetries = 64

// Options configure a Registry.
type Options struct {
	// Now gives the time written into each entry (truncated to the
	// microsecond, which databases keep, and stored in UTC). Nil means
	// time.Now.
	Now func() time.Time
	// Retries bounds how many times Allocate, AllocateBatch (per run of
	// its entries), Release and AddStock try again after another writer
	// appended to the store first (each retry reads the new entries and
	// redoes the work on them). 0 or less means
	// 64; the operation then fails with ErrBusy.
	Retries int
	// ConfirmTimeout bounds how long the registry reads the store back
	// after an Append that failed (see "A write that fails but was
	// stored" on Registry); the operation, and the registry's lock, wait
	// that long at most. 0 means 2 seconds; a negative value means the
	// registry does not read back, and reports the Append's error.
	ConfirmTimeout time.Duration
}

// defaultConfirmTimeout is Options.ConfirmTimeout when it is 0.
const defaultConfirmTimeout = 2 * time.Second

// Allocation is the credits one product serial holds: the demand that
// asked for them and the plan that covers it.
type Allocation struct {
	// Serial is the product serial.
	Serial string `json:"serial"`
	// Seq is the journal entry that made the allocation.
	Seq uint64 `json:"seq"`
	// Time is the entry's time.
	Time time.Time `json:"time"`
	// Demand is what was asked, the beneficiary in whose name the
	// credits are retired included.
	Demand offset.Demand `json:"demand"`
	// Plan is which grams of which credits cover it.
	Plan offset.Plan `json:"plan"`
}

// held is a live allocation as the registry keeps it: the demand only as
// JSON (to recognise a repeated request; allocation decodes it).
type held struct {
	a      Allocation // Demand unset
	demand []byte
}

// Registry is the book of record: the credit lots held, which grams of them
// each product serial holds, and a journal of every change, kept in a
// Store. It makes sure no gram of credit is counted twice: every
// allocation is matched against what the journal says is free, and only
// once its entry is stored does it count.
//
// Make a Registry with Open. A zero (or nil) Registry holds no journal: its
// operations fail with an error saying so, and its reads (Inventory,
// Allocation, Allocations, Head) return nothing.
//
// A Registry is safe for concurrent use: its operations are serialised, and
// a retailer's many concurrent checkouts may share one. The lock is held
// during Store calls, so a slow store slows every operation, reads
// included; waiting for the lock does not watch ctx (the Store call does).
// Several Registry values (in several processes) may share one Store; see
// Store.
//
// If reading the store finds a damaged entry (ErrJournal), the registry
// keeps the state of the entries before it, and every later operation that
// reads the store fails with the same error until the journal is repaired.
// So does finding that the store no longer holds the last entry this
// registry read or wrote (the store's journal is shorter, or has another
// entry there: restored from an old backup, say): the registry writes
// nothing more to it, since its state follows entries the store has lost;
// open a registry on the store again once the journal is sorted out.
//
// A write that fails but was stored: a database can commit an append and
// still report an error (a deadline that ends during COMMIT, a connection
// lost before the answer), and a store that retries such an append finds
// the number taken by its own first try (ErrSeqTaken). When Append fails,
// the registry reads the store back where the entries would be, and if
// they are there (the same hashes) it answers as the success it was. The read
// runs under a context of its own (the caller's may be what ended),
// bounded by Options.ConfirmTimeout. If the read fails too, or is turned
// off, the Append's error is returned although the entries may be stored:
// the next operation finds out (a retried Allocate returns the allocation
// if it was stored).
type Registry struct {
	mu      sync.Mutex
	store   Store
	now     func() time.Time
	retries int
	confirm time.Duration // Options.ConfirmTimeout, defaulted

	// waiting holds the Allocate calls not yet handled (see Allocate);
	// qmu guards it. A call that holds mu takes them all.
	qmu     sync.Mutex
	waiting []*waiter

	m    *offset.Matcher
	seq  uint64
	head string
	live map[string]*held
	// stale is set when a panic (in the caller's Store or clock) cut an
	// operation short: the state above may then not be the journal's, and
	// the next operation rebuilds it from the store (see sync).
	stale bool
}

// errNotOpen is what the methods of a Registry not made by Open return.
var errNotOpen = errors.New("registry: the Registry is not open: make it with Open (a nil or zero Registry holds no journal)")

// notOpen returns errNotOpen for a nil Registry or one not made by Open
// (its store is set by Open, before the Registry is shared, and never
// changed).
func (r *Registry) notOpen() error {
	if r == nil || r.store == nil {
		return errNotOpen
	}
	return nil
}

// unlock releases r.mu at the end of an operation. Deferred, it also sees
// a panic on its way up: the state is then marked stale before the lock is
// released and the panic goes on.
func (r *Registry) unlock() {
	if p := recover(); p != nil {
		r.stale = true
		r.mu.Unlock()
		panic(p)
	}
	r.mu.Unlock()
}

// Open returns a Registry on store, replaying the journal it holds: every
// entry's hash and link is verified and every entry applied in order, so a
// damaged or contradictory journal is refused (ErrJournal, naming the
// entry). An empty store gives an empty registry. Open costs one pass over
// the journal.
func Open(ctx context.Context, store Store, opt Options) (*Registry, error) {
	if store == nil {
		return nil, errors.New("registry: Open: nil Store")
	}
	r := &Registry{
		store:   store,
		now:     opt.Now,
		retries: opt.Retries,
		confirm: opt.ConfirmTimeout,
		m:       offset.NewMatcher(offset.Inventory{}),
		head:    GenesisHash,
		live:    map[string]*held{},
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.retries <= 0 {
		r.retries = defaultRetries
	}
	if r.confirm == 0 {
		r.confirm = defaultConfirmTimeout
	}
	if err := r.sync(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Sync reads and applies the entries other writers have appended to the
// store since this registry last read it. Operations that write do it
// themselves when they need to; call Sync before reading (Allocation,
// Inventory) to see other writers' work.
func (r *Registry) Sync(ctx context.Context) error {
	if err := r.notOpen(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.unlock()
	return r.sync(ctx)
}

func (r *Registry) sync(ctx context.Context) error {
	if r.stale {
		// A panic cut an operation short: rebuild the state from the
		// whole journal, as Open does, aside; the registry keeps its
		// state (and stays stale) if that fails.
		t := &Registry{store: r.store, now: r.now, retries: r.retries, confirm: r.confirm,
			m: offset.NewMatcher(offset.Inventory{}), head: GenesisHash, live: map[string]*held{}}
		if err := t.sync1(ctx); err != nil {
			return fmt.Errorf("registry: rebuilding the state from the journal after a panic: %w", err)
		}
		r.m, r.seq, r.head, r.live, r.stale = t.m, t.seq, t.head, t.live, false
		return nil
	}
	return r.sync1(ctx)
}

// sync1 reads and applies the entries after r.seq. Its first read starts
// at entry r.seq itself, to check that the store still holds the entry
// this registry last read or wrote (see diverged).
func (r *Registry) sync1(ctx context.Context) error {
	from, check := r.seq+1, r.seq > 0
	if check {
		from = r.seq
	}
	for {
		es, err := r.store.Read(ctx, from, readBatch)
		if err != nil {
			return fmt.Errorf("registry: reading the store: %w", err)
		}
		n := len(es)
		if check {
			check = false
			if err := r.diverged(es); err != nil {
				return err
			}
			es = es[1:]
		}
		for i := range es {
			e := &es[i]
			if e.Seq != r.seq+1 {
				return journalErr(e.Seq, "seq", strconv.FormatUint(e.Seq, 10), "must be "+strconv.FormatUint(r.seq+1, 10)+" (the store skipped or repeated entries)")
			}
			// An allocate body in the registry's own frame
			// ({"demand":…,"plan":…}, whatever the form of the demand
			// and plan inside, which their own decoders read) is
			// decoded first: then it is known to be JSON, which the hash
			// needs.
			var pre *allocation
			if e.Kind == KindAllocate {
				if d, p, dj, ok := fastAllocate(e.Body); ok {
					pre = &allocation{d, p, dj}
				}
			}
			if err := e.checkKnown(r.head, pre != nil); err != nil {
				return err
			}
			e.Time = e.Time.UTC()
			if err := r.apply(e, pre); err != nil {
				return err
			}
			r.seq, r.head = e.Seq, e.Hash
		}
		if n < readBatch {
			return nil
		}
		from = r.seq + 1
	}
}

// errDiverged explains the JournalError of diverged.
var errDiverged = errors.New("the store's journal no longer matches this registry's (restored from a backup?); the registry writes no more to it")

// diverged checks the entries read from the store from entry r.seq on
// (r.seq > 0): the first must be the entry this registry last read or
// wrote, with its hash. If the store is shorter, or holds another entry
// there (the store was restored from an old backup, say, and another
// writer has appended since), the journal the registry's state follows is
// no longer the store's: writing on would put entries on a chain the
// registry never read, and count grams twice. The error wraps ErrJournal,
// so every later operation fails with it too (until the store holds the
// registry's entries again, or a registry is opened on it afresh).
func (r *Registry) diverged(es []Entry) error {
	switch {
	case len(es) == 0:
		return &JournalError{Seq: r.seq, Field: "seq", Value: "the store ends before it",
			Rule: "must be in the store (this registry has read or written it)", Err: errDiverged}
	case es[0].Seq != r.seq:
		return journalErr(es[0].Seq, "seq", strconv.FormatUint(es[0].Seq, 10), "must be "+strconv.FormatUint(r.seq, 10)+" (the store skipped or repeated entries)")
	case es[0].Hash != r.head:
		return &JournalError{Seq: r.seq, Field: "hash", Value: es[0].Hash,
			Rule: "must be " + r.head + ", the hash of the entry this registry has read or written", Err: errDiverged}
	}
	return nil
}

// Bodies of the entries.
type stockBody struct {
	Projects []offset.Project `json:"projects"`
	Lots     []offset.Lot     `json:"lots"`
}

type allocateBody struct {
	Demand json.RawMessage `json:"demand"`
	Plan   offset.Plan     `json:"plan"`
}

// allocateRaw is an allocate entry's body with its plan undecoded: replay
// checks the body's own members and leaves the plan's to offset.Plan's
// strict decoder, so the plan's members are matched against its types
// once, not twice (the body's check still scans the plan's bytes, and
// refuses a member name that is not UTF-8 there).
type allocateRaw struct {
	Demand json.RawMessage `json:"demand"`
	Plan   json.RawMessage `json:"plan"`
}

type releaseBody struct {
	Allocation uint64 `json:"allocation"`
	Reason     string `json:"reason,omitempty"`
}

func bodyErr(seq uint64, field string, err error) error {
	return &JournalError{Seq: seq, Field: field, Rule: "cannot be applied", Err: err}
}

// decodeBody reads a body strictly: no unknown, repeated or other-case
// members.
func decodeBody(b []byte, v any) error {
	if err := strictjson.Check(b, reflect.TypeOf(v).Elem(), ErrJournal); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the body")
	}
	return nil
}

// strictAllocate reads an allocate entry's body: its demand, its plan,
// and the demand's JSON without white space between tokens (a retried
// Allocate recognises its demand by the bytes it wrote). The body's own
// members are checked strictly, then the plan and the demand decoded. It
// decides which bodies are refused, and how; fastAllocate only takes a
// short cut for those the registry writes.
func strictAllocate(seq uint64, body []byte) (offset.Demand, offset.Plan, []byte, error) {
	var raw allocateRaw
	if err := decodeBody(body, &raw); err != nil {
		return offset.Demand{}, offset.Plan{}, nil, bodyErr(seq, "body", err)
	}
	var p offset.Plan
	if raw.Plan != nil {
		if err := json.Unmarshal(raw.Plan, &p); err != nil {
			return offset.Demand{}, offset.Plan{}, nil, bodyErr(seq, "body", fielderr.Prefix("plan", err))
		}
	}
	var d offset.Demand
	if err := json.Unmarshal(raw.Demand, &d); err != nil {
		return offset.Demand{}, offset.Plan{}, nil, bodyErr(seq, "body.demand", err)
	}
	return d, p, compacted(raw.Demand), nil
}

// fastAllocate reads a body of exactly the form the registry writes,
// {"demand":{...},"plan":{...}} with nothing between the tokens of that
// frame, in valid UTF-8, whose demand and plan offset decodes. For such a
// body strictAllocate's strict check of the body's members cannot fail
// (its two members, once each, and member names in valid UTF-8), and
// decoding the demand and the plan with their own UnmarshalJSON is what
// encoding/json does with them (they are valid JSON: they decoded). It
// reports false, having decided nothing, for any other body: the body is
// then strictAllocate's to read and, if need be, to refuse. A body it
// accepts is valid JSON (its frame is, and its demand and plan decoded),
// so replay need not check that again before hashing it.
func fastAllocate(body []byte) (d offset.Demand, p offset.Plan, dj []byte, ok bool) {
	const head, mid = `{"demand":`, `,"plan":`
	if !bytes.HasPrefix(body, []byte(head)) {
		return
	}
	i := len(head)
	j := objectEnd(body, i)
	if j < 0 || !bytes.HasPrefix(body[j:], []byte(mid)) {
		return
	}
	k := j + len(mid)
	end := objectEnd(body, k)
	if end != len(body)-1 || body[end] != '}' || !utf8.Valid(body) {
		return
	}
	if p.UnmarshalJSON(body[k:end]) != nil || d.UnmarshalJSON(body[i:j]) != nil {
		return offset.Demand{}, offset.Plan{}, nil, false
	}
	return d, p, compacted(body[i:j]), true
}

// objectEnd returns the index just after the JSON object that starts at
// b[i], or -1 if none does. It only matches brackets (outside strings);
// the object's content is for its decoder to check.
func objectEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '{' {
		return -1
	}
	depth, in := 0, false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case in:
			if c == '\\' {
				i++
			} else if c == '"' {
				in = false
			}
		case c == '"':
			in = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// compacted returns a copy of JSON text b without the white space between
// its tokens; b must be valid JSON.
func compacted(b []byte) []byte {
	if !spaced(b) {
		return bytes.Clone(b)
	}
	var c bytes.Buffer
	_ = json.Compact(&c, b) // valid: it decoded
	return c.Bytes()
}

// allocation is an allocate entry's body decoded (see strictAllocate).
type allocation struct {
	demand offset.Demand
	plan   offset.Plan
	dj     []byte
}

// apply changes the registry's state by one verified entry from the store.
// pre, if not nil, is the entry's body as fastAllocate decoded it.
func (r *Registry) apply(e *Entry, pre *allocation) error {
	switch e.Kind {
	case KindStock:
		var b stockBody
		if err := decodeBody(e.Body, &b); err != nil {
			return bodyErr(e.Seq, "body", err)
		}
		if e.Serial != "" {
			return journalErr(e.Seq, "serial", e.Serial, "must be empty in a stock entry")
		}
		inv, err := r.stocked(b.Projects, b.Lots)
		if err != nil {
			return bodyErr(e.Seq, "body", err)
		}
		r.m = offset.NewMatcher(inv)
	case KindAllocate:
		if pre == nil {
			d, p, dj, err := strictAllocate(e.Seq, e.Body)
			if err != nil {
				return err
			}
			pre = &allocation{d, p, dj}
		}
		d, plan, dj := pre.demand, pre.plan, pre.dj
		if d.Serial != e.Serial || plan.Serial != e.Serial {
			return journalErr(e.Seq, "serial", e.Serial, "must be the serial of the entry's demand and plan")
		}
		if !plan.Demand.Equal(d.Amount) {
			return journalErr(e.Seq, "body.plan.demand", plan.Demand.String(), "must be the demand's amount "+d.Amount.String())
		}
		var grams int64
		for _, ln := range plan.Lines {
			if g := ln.Grams.Len(); g > 0 && grams <= offset.MaxDemandGrams {
				grams += g
			}
		}
		if plan.Amount.Cmp(plan.Demand) < 0 || !plan.Amount.Grams().Equal(decimal.NewFromInt(grams)) {
			return journalErr(e.Seq, "body.plan.amount", plan.Amount.String(),
				"must be at least the demand and the sum of the lines' grams ("+strconv.FormatInt(grams, 10)+" g)")
		}
		if _, ok := r.live[e.Serial]; ok {
			return journalErr(e.Seq, "serial", e.Serial, "already holds an allocation that was not released")
		}
		if err := r.m.Apply(plan); err != nil {
			return bodyErr(e.Seq, "body.plan", err)
		}
		r.live[e.Serial] = &held{a: Allocation{Serial: e.Serial, Seq: e.Seq, Time: e.Time, Plan: plan}, demand: dj}
	case KindRelease:
		var b releaseBody
		if err := decodeBody(e.Body, &b); err != nil {
			return bodyErr(e.Seq, "body", err)
		}
		h, ok := r.live[e.Serial]
		if !ok || h.a.Seq != b.Allocation {
			return journalErr(e.Seq, "body.allocation", strconv.FormatUint(b.Allocation, 10), "must be the serial's allocation that is not yet released")
		}
		if err := r.m.Release(h.a.Plan); err != nil {
			return bodyErr(e.Seq, "body.allocation", err)
		}
		delete(r.live, e.Serial)
	}
	return nil
}

// heldAlready reports whether stock is not empty and every project and
// lot in it is held already with the same definition, compared in JSON (a
// project as Resolved fills it in; a lot's Allocated aside). It costs
// O(lots), and runs only when the stock cannot be added.
func (r *Registry) heldAlready(projects []offset.Project, lots []offset.Lot) bool {
	if len(projects)+len(lots) == 0 {
		return false
	}
	inv := r.m.Inventory()
	same := func(a, b any) bool {
		x, err1 := json.Marshal(a)
		y, err2 := json.Marshal(b)
		return err1 == nil && err2 == nil && bytes.Equal(x, y)
	}
	for _, p := range projects {
		h, ok := inv.Project(p.ID)
		rp, err := p.Resolved()
		if !ok || err != nil || !same(h, rp) {
			return false
		}
	}
	for _, l := range lots {
		h, ok := inv.Lot(l.ID)
		if !ok {
			return false
		}
		h.Allocated, l.Allocated = nil, nil
		if !same(h, l) {
			return false
		}
	}
	return true
}

// stocked returns the registry's inventory with projects and lots added.
// It costs O(lots).
func (r *Registry) stocked(projects []offset.Project, lots []offset.Lot) (offset.Inventory, error) {
	cur := r.m.Inventory()
	return offset.NewInventory(append(cur.Projects(), projects...), append(cur.Lots(), lots...))
}

// clock reads Options.Now for an entry's time. The caller's clock runs
// after a match has taken grams: if it does not return (a panic, or
// runtime.Goexit, which Registry.unlock cannot see), the state is marked
// stale, to be rebuilt from the journal.
func (r *Registry) clock() time.Time {
	returned := false
	defer func() {
		if !returned {
			r.stale = true
		}
	}()
	t := r.now()
	returned = true
	return t.UTC().Truncate(time.Microsecond)
}

// entry returns the next entry of the journal.
func (r *Registry) entry(kind Kind, serial string, body []byte) Entry {
	return r.entryAfter(r.seq, r.head, kind, serial, body)
}

// entryAfter returns the entry that follows entry seq, whose hash is prev.
func (r *Registry) entryAfter(seq uint64, prev string, kind Kind, serial string, body []byte) Entry {
	e := Entry{
		Seq:    seq + 1,
		Time:   r.clock(),
		Kind:   kind,
		Serial: serial,
		Body:   body,
		Prev:   prev,
	}
	e.Hash = e.ComputeHash()
	return e
}

// write appends entries (one, or a batch's run) to the store and, once they
// are stored, moves the head to the last.
func (r *Registry) write(ctx context.Context, entries ...Entry) error {
	// If Append, or the Read that checks a failed Append, does not return
	// (it panics, or calls runtime.Goexit), the entries may or may not be
	// stored while the caller's state has already changed: mark it stale,
	// to be rebuilt from the journal.
	returned := false
	defer func() {
		if !returned {
			r.stale = true
		}
	}()
	err := r.store.Append(ctx, entries)
	// Even ErrSeqTaken may mean stored: a store that retries an append
	// whose answer was lost finds the number taken by its own first try.
	if err != nil && r.stored(ctx, entries) {
		err = nil // stored after all: see Registry
	}
	returned = true // Append and the read-back returned
	if err != nil {
		return err
	}
	last := entries[len(entries)-1]
	r.seq, r.head = last.Seq, last.Hash
	return nil
}

// stored reports whether entries, whose Append failed, are in the store
// all the same: it reads back where they would be and compares hashes.
// The read runs under a context of its own (ctx's values, not its end:
// the caller's deadline may be what failed the Append) bounded by
// r.confirm; a negative r.confirm means no read, false.
func (r *Registry) stored(ctx context.Context, entries []Entry) bool {
	if r.confirm < 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.confirm)
	defer cancel()
	got, err := r.store.Read(ctx, entries[0].Seq, len(entries))
	if err != nil || len(got) != len(entries) {
		return false
	}
	for i := range got {
		if got[i].Seq != entries[i].Seq || got[i].Hash != entries[i].Hash {
			return false
		}
	}
	return true
}

// again decides what follows a failed write, the registry's state being
// back to what the journal says: when another writer took the entry's
// number (and tries are left), it reads the new entries and returns nil,
// so the caller redoes its work on them; otherwise it returns the error.
func (r *Registry) again(ctx context.Context, seq uint64, err error, try int) error {
	if !errors.Is(err, ErrSeqTaken) {
		return fmt.Errorf("registry: writing entry %d: %w", seq, err)
	}
	if try >= r.retries {
		return ErrBusy
	}
	return r.sync(ctx)
}

// AddStock adds projects (new to the registry) and credit lots to the
// inventory the registry allocates from, in one journal entry. Lots may be
// of new or already held projects; the whole inventory must still be valid
// (offset.NewInventory: unique IDs, known projects, no serial held twice),
// or nothing is added and the error says why: its field names the position
// in the projects or lots passed ("lots[2].block"), or one the registry
// already holds ("held lots[7].block"). The same stock again, every
// project and lot given already held with the same definition (a lot's
// Allocated aside), writes nothing and succeeds: a retry whose first try
// was stored, or two instances stocking a shared store as they start.
func (r *Registry) AddStock(ctx context.Context, projects []offset.Project, lots []offset.Lot) error {
	if err := r.notOpen(); err != nil {
		return err
	}
	body, err := json.Marshal(stockBody{Projects: nonNil(projects), Lots: nonNil(lots)})
	if err != nil {
		return fmt.Errorf("registry: AddStock: %w", err)
	}
	r.mu.Lock()
	defer r.unlock()
	if r.stale {
		if err := r.sync(ctx); err != nil {
			return err
		}
	}
	for try := 0; ; try++ {
		if _, err := r.stocked(projects, lots); err != nil {
			if r.heldAlready(projects, lots) {
				return nil // the same stock again: nothing to add
			}
			return fmt.Errorf("registry: AddStock: %w", r.rebase(err))
		}
		// Replay applies the body read back, so apply that now too: a
		// value that does not survive its JSON form is refused here, not
		// found when the journal is next opened.
		var back stockBody
		if err := decodeBody(body, &back); err != nil {
			return fmt.Errorf("registry: AddStock: the stock does not read back from its JSON form: %w", err)
		}
		inv, err := r.stocked(back.Projects, back.Lots)
		if err != nil {
			return fmt.Errorf("registry: AddStock: the stock read back from its JSON form: %w", r.rebase(err))
		}
		e := r.entry(KindStock, "", body)
		err = r.write(ctx, e)
		if err == nil {
			r.m = offset.NewMatcher(inv)
			return nil
		}
		if err := r.again(ctx, e.Seq, err, try); err != nil {
			return err
		}
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Allocate covers demand d (for the product serial d.Serial) from the
// registry's inventory with offset.Match's rules, records the allocation in
// the journal and returns it. The credits count as sold only once the entry
// is stored. If the store reports a failure, the entry is read back (see
// Registry): stored, the allocation is returned; not stored, nothing is
// allocated; unknown (the read failed too), the error is returned and the
// same demand again returns the allocation if it was stored.
//
// Allocate is idempotent per serial: asking again with the same demand
// (the same JSON encoding) returns the allocation made the first time and
// writes nothing, so a checkout can safely retry. A different demand for a
// serial that holds an allocation fails with ErrAllocated; Release it
// first. The demand's Beneficiary is part of it (it is journaled with the
// allocation): the same serial asked for another beneficiary, or for none,
// fails with ErrAllocated, so that two parties never each hold a claim to
// the same credits. Allocate first reads the entries other writers have stored, so
// that it decides on the serial's current state. Errors from matching
// (offset.ErrUnmet, offset.ErrInvalidDemand, ...) are offset's, wrapped
// ("registry: ..."); errors.Is and errors.As see through.
//
// Concurrent calls share store appends (group commit): while one call
// writes, the others wait, and the next to go records all that waited
// in one append (in runs of 256, as AllocateBatch does), each as if it
// had been made alone after the ones before. Against a database this
// turns many checkouts at once into few commits. A call waits for its turn
// whatever its ctx says (as it waited for the registry's lock before);
// when the turn comes, a done ctx makes it fail with ctx's error, taking
// nothing. The store calls of a turn run under the ctx of the call that
// writes for the group. When a group's append fails, its calls are tried
// again: if the writer's ctx ended, the others in a group again; after a
// store error or a panic (in the caller's Store, say), each alone, on its
// own goroutine with its own ctx, so that a call fails, or panics, for its
// own entry as it would have alone. Calls already told their allocation
// keep it. After a panic the registry rebuilds its state from the journal
// before its next operation.
func (r *Registry) Allocate(ctx context.Context, d offset.Demand) (Allocation, error) {
	if err := r.notOpen(); err != nil {
		return Allocation{}, err
	}
	want, err := demandJSON(d)
	if err != nil {
		return Allocation{}, err
	}
	for {
		w := &waiter{ctx: ctx, d: d, want: want}
		r.qmu.Lock()
		r.waiting = append(r.waiting, w)
		r.qmu.Unlock()
		r.takeTurn(w)
		switch {
		case w.final:
			return w.res.Allocation, w.res.Err
		case w.retry:
			continue // the ctx of the call writing for the group ended
		default:
			// The group's append failed or did not return, perhaps for
			// another call's entry: write this one alone, with this call's
			// ctx, on this goroutine, so that what happens is this call's
			// own.
			return r.allocateAlone(ctx, d, want)
		}
	}
}

// takeTurn waits for the registry and, unless another call has handled w
// meanwhile, handles every call waiting, w among them, with w's ctx.
func (r *Registry) takeTurn(w *waiter) {
	r.mu.Lock()
	defer r.unlock()
	if w.done {
		return
	}
	// w is still waiting: no call has taken it yet, so this one takes
	// every call waiting.
	r.qmu.Lock()
	group := r.waiting
	r.waiting = nil
	r.qmu.Unlock()
	r.allocateGroup(w.ctx, w, group)
}

// allocateAlone is Allocate without a group.
func (r *Registry) allocateAlone(ctx context.Context, d offset.Demand, want []byte) (Allocation, error) {
	r.mu.Lock()
	defer r.unlock()
	return r.allocateOne(ctx, d, want)
}

// waiter is an Allocate call waiting for its turn. Its other fields are
// set, under Registry.mu, by the call that handles it: res is the answer
// when final is set; otherwise the call queues again (retry) or writes
// alone.
type waiter struct {
	ctx   context.Context
	d     offset.Demand
	want  []byte
	res   Result
	final bool // res is the call's answer
	retry bool // the writing call's ctx ended before this call's turn was done: queue again
	done  bool // handled (under Registry.mu)
}

// allocateGroup handles the waiting Allocate calls in group, in order,
// with ctx (that of leader, the call handling them) for the store: a call
// alone directly, more in runs of batchRun entries, as AllocateBatch does.
// r.mu is held.
//
// A call whose result is not certain to be its own is not told it: when
// the leader's ctx ends, the others queue again (retry); when an append
// fails, the calls it held write alone, each with its own ctx;
// calls of runs not yet tried queue again. When an append of several
// calls panics, every call not yet answered writes alone (see below). The
// leader alone panics as any operation does (Registry.unlock).
func (r *Registry) allocateGroup(ctx context.Context, leader *waiter, group []*waiter) {
	completed := false
	defer func() {
		if !completed {
			// The turn did not finish: a panic or runtime.Goexit (in the
			// caller's Store, say). The state is rebuilt before the next
			// operation, and every call not yet answered writes alone. A
			// group's panic may come from any call's entry, so it is not
			// the leader's to raise; the panic of a call alone is its own
			// and goes on.
			if len(group) > 1 {
				recover()
			}
			r.stale = true // every call neither final nor retry writes alone
		}
		for _, w := range group {
			w.done = true
		}
	}()
	if len(group) == 1 { // the leader alone: the direct path
		leader.res.Allocation, leader.res.Err = r.allocateOne(ctx, leader.d, leader.want)
		leader.final = true
		completed = true
		return
	}
	demands := make([]offset.Demand, len(group))
	wants := make([][]byte, len(group))
	res := make([]Result, len(group))
	for i, w := range group {
		demands[i] = w.d
		if err := w.ctx.Err(); err != nil {
			w.res, w.final = Result{Err: fmt.Errorf("registry: %w", err)}, true // takes nothing
			continue
		}
		wants[i] = w.want
	}
	for start := 0; start < len(group); start += batchRun {
		end := min(start+batchRun, len(group))
		err := r.allocateRun(ctx, demands[start:end], wants[start:end], res[start:end])
		if err == nil {
			for i := start; i < end; i++ {
				if wants[i] != nil {
					group[i].res, group[i].final = res[i], true
				}
			}
			continue
		}
		ctxEnded := ctx.Err() != nil && isCtxErr(err)
		for i := start; i < len(group); i++ {
			w := group[i]
			switch {
			case wants[i] == nil:
			case ctxEnded && w == leader:
				w.res, w.final = Result{Err: err}, true
			case ctxEnded || i >= end:
				w.retry = true // not this call's failure, or not tried
			default:
				// the append that held it failed: it writes alone
			}
		}
		break
	}
	completed = true
}

// allocateOne is Allocate's work for one call alone, r.mu held.
func (r *Registry) allocateOne(ctx context.Context, d offset.Demand, want []byte) (Allocation, error) {
	// Read what other writers have stored first: the serial may have been
	// allocated or released there.
	if err := r.sync(ctx); err != nil {
		return Allocation{}, err
	}
	for try := 0; ; try++ {
		if h, ok := r.live[d.Serial]; ok {
			return h.repeat(want)
		}
		plan, err := r.m.Match(d)
		if err != nil {
			return Allocation{}, fmt.Errorf("registry: %w", err)
		}
		body, err := json.Marshal(allocateBody{Demand: want, Plan: plan})
		if err != nil {
			return Allocation{}, errors.Join(fmt.Errorf("registry: Allocate: %w", err), r.m.Release(plan))
		}
		e := r.entry(KindAllocate, d.Serial, body)
		werr := r.write(ctx, e)
		if werr == nil {
			a := Allocation{Serial: d.Serial, Seq: e.Seq, Time: e.Time, Demand: d, Plan: plan}
			// The registry keeps its own copy of the plan, and of the
			// demand only its JSON.
			r.live[d.Serial] = &held{a: Allocation{Serial: d.Serial, Seq: e.Seq, Time: e.Time, Plan: clonePlan(plan)}, demand: want}
			return a, nil
		}
		// The Matcher took the plan's grams when it matched; the entry is
		// not stored, so give them back before anything else.
		if err := r.m.Release(plan); err != nil {
			return Allocation{}, errors.Join(werr, err)
		}
		if err := r.again(ctx, e.Seq, werr, try); err != nil {
			return Allocation{}, err
		}
	}
}

// isCtxErr reports whether err comes from a context that ended.
func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// demandJSON validates d and returns its JSON, by which a repeated request
// is recognised.
func demandJSON(d offset.Demand) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	want, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("registry: Allocate: %w", err)
	}
	return want, nil
}

// repeat answers a demand (as JSON) for a serial that holds h: the same
// allocation for the same demand, ErrAllocated for another.
func (h *held) repeat(want []byte) (Allocation, error) {
	if bytes.Equal(h.demand, want) {
		return h.allocation(), nil
	}
	return Allocation{}, fmt.Errorf("%w: serial %q holds the allocation of entry %d for another demand; release it first",
		ErrAllocated, h.a.Serial, h.a.Seq)
}

// Result is one demand's outcome in AllocateBatch: its allocation, or the
// error that kept it from being made.
type Result struct {
	// Allocation is the demand's allocation when Err is nil.
	Allocation Allocation
	// Err says why the demand was not allocated.
	Err error
}

// batchRun is how many entries AllocateBatch appends at a time: a long
// batch does not have to win one race with other writers for all of it.
const batchRun = 256

// AllocateBatch covers demands in order, each as Allocate would cover it
// after the ones before, and records the new allocations in runs of up to
// 256 entries, one store append each: an ERP batch pays one database commit
// per run, not one per product. The results are in input order. A demand
// that fails (invalid, unmet, or for a serial that holds an allocation for
// another demand, another beneficiary included: ErrAllocated) takes nothing and has its error in its
// Result; the others are still allocated. A demand repeated, in the batch
// or from before, gets the allocation made the first time.
//
// The error is for a run that could not be recorded (a store error, or
// ErrBusy after Options.Retries lost races, each retry matching the run
// again): the runs before it are recorded, and every demand from the
// failed run on has the error in its Result. (A run the store reports as
// failed is read back first, and counts if it was stored; if even that
// cannot tell, the next operation reads what was stored, and the same
// demands again get those allocations.)
func (r *Registry) AllocateBatch(ctx context.Context, demands []offset.Demand) ([]Result, error) {
	if err := r.notOpen(); err != nil {
		res := make([]Result, len(demands)) // a Result per demand, as ever
		for i := range res {
			res[i].Err = err
		}
		return res, err
	}
	wants := make([][]byte, len(demands))
	res := make([]Result, len(demands))
	for i, d := range demands {
		wants[i], res[i].Err = demandJSON(d)
	}
	r.mu.Lock()
	defer r.unlock()
	for start := 0; start < len(demands); start += batchRun {
		end := min(start+batchRun, len(demands))
		if err := r.allocateRun(ctx, demands[start:end], wants[start:end], res[start:end]); err != nil {
			for i := start; i < len(demands); i++ {
				if wants[i] != nil {
					res[i] = Result{Err: err}
				}
			}
			return res, err
		}
	}
	return res, nil
}

// allocateRun is one run of AllocateBatch: it reads the store, matches the
// demands (wants: their JSON, nil for one already refused) and records the
// new allocations in one append, trying again when another writer was
// first.
func (r *Registry) allocateRun(ctx context.Context, demands []offset.Demand, wants [][]byte, res []Result) error {
	if err := r.sync(ctx); err != nil {
		return err
	}
	for try := 0; ; try++ {
		batch := map[string]*held{} // the allocations of this run, by serial
		var entries []Entry
		var plans []offset.Plan
		seq, head := r.seq, r.head
		for i, d := range demands {
			if wants[i] == nil {
				continue
			}
			res[i] = Result{}
			if h, ok := r.live[d.Serial]; ok {
				res[i].Allocation, res[i].Err = h.repeat(wants[i])
				continue
			}
			if h, ok := batch[d.Serial]; ok {
				res[i].Allocation, res[i].Err = h.repeat(wants[i])
				continue
			}
			plan, err := r.m.Match(d)
			if err != nil {
				res[i].Err = fmt.Errorf("registry: %w", err)
				continue
			}
			body, err := json.Marshal(allocateBody{Demand: wants[i], Plan: plan})
			if err != nil {
				res[i].Err = errors.Join(fmt.Errorf("registry: Allocate: %w", err), r.m.Release(plan))
				continue
			}
			e := r.entryAfter(seq, head, KindAllocate, d.Serial, body)
			seq, head = e.Seq, e.Hash
			entries, plans = append(entries, e), append(plans, plan)
			batch[d.Serial] = &held{a: Allocation{Serial: d.Serial, Seq: e.Seq, Time: e.Time, Plan: clonePlan(plan)}, demand: wants[i]}
			res[i].Allocation = Allocation{Serial: d.Serial, Seq: e.Seq, Time: e.Time, Demand: d, Plan: plan}
		}
		if len(entries) == 0 {
			return nil
		}
		werr := r.write(ctx, entries...)
		if werr == nil {
			for s, h := range batch {
				r.live[s] = h
			}
			return nil
		}
		// Nothing is stored: give the grams back, newest first.
		for k := len(plans) - 1; k >= 0; k-- {
			if err := r.m.Release(plans[k]); err != nil {
				return errors.Join(werr, err)
			}
		}
		if err := r.again(ctx, entries[0].Seq, werr, try); err != nil {
			return err
		}
	}
}

// Release frees the credits serial holds (a product returned, a sale
// cancelled) and records why in the journal. It returns the allocation
// released. It first reads the entries other writers have stored; a
// serial with no allocation then fails with ErrNotAllocated (so a release
// is never counted twice). The serial may be allocated again
// afterwards (the product resold). A Release that fails with a store error
// may still have been stored (see Registry): Release again then fails with
// ErrNotAllocated, and whatever was issued for the allocation (a
// certificate) must be revoked as for a release that succeeded; compare
// the allocation held before with Allocation to tell.
func (r *Registry) Release(ctx context.Context, serial, reason string) (Allocation, error) {
	if err := r.notOpen(); err != nil {
		return Allocation{}, err
	}
	if !utf8.ValidString(reason) {
		return Allocation{}, fmt.Errorf("registry: Release: reason %q: must be valid UTF-8", reason)
	}
	r.mu.Lock()
	defer r.unlock()
	if err := r.sync(ctx); err != nil {
		return Allocation{}, err
	}
	for try := 0; ; try++ {
		h, ok := r.live[serial]
		if !ok {
			return Allocation{}, fmt.Errorf("%w: serial %q", ErrNotAllocated, serial)
		}
		body, err := json.Marshal(releaseBody{Allocation: h.a.Seq, Reason: reason})
		if err != nil {
			return Allocation{}, fmt.Errorf("registry: Release: %w", err)
		}
		e := r.entry(KindRelease, serial, body)
		if err := r.write(ctx, e); err != nil {
			if err := r.again(ctx, e.Seq, err, try); err != nil {
				return Allocation{}, err
			}
			continue
		}
		if err := r.m.Release(h.a.Plan); err != nil {
			// Cannot happen while the state follows the journal; say so
			// rather than carry on with a state that does not.
			return Allocation{}, bodyErr(e.Seq, "body.allocation", err)
		}
		delete(r.live, serial)
		return h.allocation(), nil
	}
}

// Allocation returns the allocation serial holds, if any (as of the last
// entry this registry has read; see Sync).
func (r *Registry) Allocation(serial string) (Allocation, bool) {
	if r.notOpen() != nil {
		return Allocation{}, false
	}
	r.mu.Lock()
	defer r.unlock()
	h, ok := r.live[serial]
	if !ok {
		return Allocation{}, false
	}
	return h.allocation(), true
}

// Allocations returns every allocation held, in journal order.
func (r *Registry) Allocations() []Allocation {
	if r.notOpen() != nil {
		return []Allocation{}
	}
	r.mu.Lock()
	defer r.unlock()
	out := make([]Allocation, 0, len(r.live))
	for _, h := range r.live {
		out = append(out, h.allocation())
	}
	slices.SortFunc(out, func(a, b Allocation) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// Inventory returns a snapshot of the inventory: every lot with the grams
// allocated so far. It costs O(lots).
func (r *Registry) Inventory() offset.Inventory {
	if r.notOpen() != nil {
		return offset.Inventory{}
	}
	r.mu.Lock()
	defer r.unlock()
	return r.m.Inventory()
}

// Head returns the sequence number and hash of the last journal entry this
// registry has read or written (0 and GenesisHash for an empty journal).
// Publishing the head lets others check later that the journal they are
// shown extends the one they saw.
func (r *Registry) Head() (seq uint64, hash string) {
	if r.notOpen() != nil {
		return 0, GenesisHash
	}
	r.mu.Lock()
	defer r.unlock()
	return r.seq, r.head
}

// allocation returns the allocation with nothing shared with the
// registry's copy: the plan's slices copied, the demand decoded from its
// JSON (which Allocate or the journal produced from a valid demand, so it
// decodes).
func (h *held) allocation() Allocation {
	a := h.a
	a.Plan = clonePlan(a.Plan)
	_ = json.Unmarshal(h.demand, &a.Demand)
	return a
}

// clonePlan copies p's slices, so that a caller changing the plan it was
// given cannot change the one the registry releases.
func clonePlan(p offset.Plan) offset.Plan {
	p.Shares = slices.Clone(p.Shares)
	p.Lines = slices.Clone(p.Lines)
	for i := range p.Lines {
		p.Lines[i].Serials = slices.Clone(p.Lines[i].Serials)
	}
	p.Costs = slices.Clone(p.Costs)
	p.Remaining = slices.Clone(p.Remaining)
	return p
}

// rebase renumbers the position in an offset error about the merged
// inventory (the registry's projects and lots first, then the new ones) so
// that it counts in the caller's slices, as AddStock's caller passed them.
func (r *Registry) rebase(err error) error {
	var fe *footprint.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	inv := r.m.Inventory()
	for _, k := range []struct {
		name string
		n    int
	}{{"projects[", len(inv.Projects())}, {"lots[", inv.Len()}} {
		rest, ok := strings.CutPrefix(fe.Field, k.name)
		if !ok {
			continue
		}
		num, tail, ok := strings.Cut(rest, "]")
		i, convErr := strconv.Atoi(num)
		if !ok || convErr != nil {
			return err
		}
		c := *fe
		if i >= k.n {
			c.Field = k.name + strconv.Itoa(i-k.n) + "]" + tail
		} else {
			c.Field = "held " + k.name + strconv.Itoa(i) + "]" + tail
		}
		return &c
	}
	return err
}
