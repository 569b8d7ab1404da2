package pgstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lifecarbon/lifecarbon/registry"
)

// Store is a registry.Store in one PostgreSQL table.
type Store struct {
	pool  *pgxpool.Pool
	table string         // the table's name, quoted for SQL
	ident pgx.Identifier // the same, for COPY
}

// tableName is what New accepts as a table name: a plain identifier,
// optionally schema-qualified.
var tableName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$`)

// New returns a Store on table (created if it does not exist; a plain
// lower-case identifier, optionally "schema.table") in the database pool
// connects to.
func New(ctx context.Context, pool *pgxpool.Pool, table string) (*Store, error) {
	if pool == nil {
		return nil, errors.New("pgstore: nil pool")
	}
	if !tableName.MatchString(table) {
		return nil, fmt.Errorf("pgstore: table name %q: must be a lower-case identifier (letters, digits, _), optionally schema-qualified", table)
	}
	ident := pgx.Identifier(strings.Split(table, "."))
	s := &Store{pool: pool, table: ident.Sanitize(), ident: ident}
	create := `CREATE TABLE IF NOT EXISTS ` + s.table + ` (
		seq    bigint PRIMARY KEY CHECK (seq > 0),
		time   timestamptz NOT NULL,
		kind   text NOT NULL,
		serial text NOT NULL,
		body   bytea NOT NULL,
		prev   text NOT NULL,
		hash   text NOT NULL
	)`
	var err error
	for try := 0; ; try++ {
		_, err = pool.Exec(ctx, create)
		var pe *pgconn.PgError
		if try < 3 && errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P07" || pe.Code == "42710") {
			// Another process created the table at the same instant (IF
			// NOT EXISTS does not guard that race in PostgreSQL: the
			// loser sees a duplicate table, row type or catalogue key).
			// Its transaction has committed by then, so the statement
			// again finds the table; a name taken by something else
			// fails the same way each time and is returned.
			continue
		}
		break
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: creating table %s: %w", table, err)
	}
	return s, nil
}

// Append inserts entries in one transaction if they follow on from the
// last entry. It returns an error wrapping registry.ErrSeqTaken when
// entries[0].Seq is taken or entries[0].Prev is not the hash of the row
// before it (registry.GenesisHash for entry 1).
func (s *Store) Append(ctx context.Context, entries []registry.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	first := entries[0].Seq
	for i, e := range entries {
		if e.Seq != first+uint64(i) || e.Seq == 0 || e.Seq >= 1<<53 {
			return fmt.Errorf("pgstore: entry %d: sequence numbers must run on from 1 to 2^53 − 1 without a gap", e.Seq)
		}
	}
	// Read committed whatever the database's default: a racing writer's
	// insert then fails on the primary key (ErrSeqTaken), not with a
	// serialisation failure.
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		// The first row only if it is the next one (a gap is refused)
		// and chains onto the row before it (the hash of row seq−1, or
		// the genesis hash for row 1, is its prev), in one statement;
		// the primary key refuses a taken number.
		e := entries[0]
		tag, err := tx.Exec(ctx, `INSERT INTO `+s.table+` (seq, time, kind, serial, body, prev, hash)
			SELECT $1, $2, $3, $4, $5, $6, $7
			WHERE $1 = (SELECT coalesce(max(seq), 0) + 1 FROM `+s.table+`)
			AND $6 = coalesce((SELECT hash FROM `+s.table+` WHERE seq = $1 - 1), $8)`,
			int64(e.Seq), e.Time.UTC(), string(e.Kind), e.Serial, []byte(e.Body), e.Prev, e.Hash, registry.GenesisHash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return errNotNext
		}
		rows := make([][]any, 0, len(entries)-1)
		for _, e := range entries[1:] {
			rows = append(rows, []any{int64(e.Seq), e.Time.UTC(), string(e.Kind), e.Serial, []byte(e.Body), e.Prev, e.Hash})
		}
		if len(rows) > 0 {
			_, err = tx.CopyFrom(ctx, s.ident,
				[]string{"seq", "time", "kind", "serial", "body", "prev", "hash"}, pgx.CopyFromRows(rows))
		}
		return err
	})
	var pe *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) && pe.Code == "23505": // unique_violation
		return fmt.Errorf("pgstore: entry %d: %w", first, registry.ErrSeqTaken)
	case !errors.Is(err, errNotNext):
		return fmt.Errorf("pgstore: appending entries from %d: %w", first, err)
	}
	// Nothing inserted: the number is taken, the first entry does not
	// chain onto the row before it, or it would leave a gap.
	var last int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM `+s.table).Scan(&last); err != nil {
		return fmt.Errorf("pgstore: appending entries from %d: %w", first, err)
	}
	switch {
	case int64(first) <= last:
		return fmt.Errorf("pgstore: entry %d: %w", first, registry.ErrSeqTaken)
	case int64(first) == last+1:
		// The row before it was there; its hash was not the entry's
		// prev (or the journal changed since the insert: either way the
		// writer must read the journal again).
		return fmt.Errorf("pgstore: entry %d: its prev is not the hash of entry %d in the journal: %w", first, first-1, registry.ErrSeqTaken)
	}
	return fmt.Errorf("pgstore: entry %d: the journal ends at %d; entries must follow on", first, last)
}

// errNotNext: the first entry of a run was not the next one.
var errNotNext = errors.New("pgstore: not the next entry")

// Read returns, in order, at most max entries with Seq ≥ from.
func (s *Store) Read(ctx context.Context, from uint64, max int) ([]registry.Entry, error) {
	if max <= 0 || from >= 1<<53 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, time, kind, serial, body, prev, hash FROM `+s.table+`
		WHERE seq >= $1 ORDER BY seq LIMIT $2`, int64(from), max)
	if err != nil {
		return nil, fmt.Errorf("pgstore: reading from entry %d: %w", from, err)
	}
	es, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Entry, error) {
		var (
			e    registry.Entry
			seq  int64
			t    time.Time
			kind string
			body []byte
		)
		if err := row.Scan(&seq, &t, &kind, &e.Serial, &body, &e.Prev, &e.Hash); err != nil {
			return e, err
		}
		e.Seq, e.Time, e.Kind, e.Body = uint64(seq), t.UTC(), registry.Kind(kind), body
		return e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgstore: reading from entry %d: %w", from, err)
	}
	return es, nil
}
