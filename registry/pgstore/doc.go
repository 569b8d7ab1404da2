// Package pgstore keeps a registry journal in PostgreSQL: a registry.Store
// on one table, for registries in several processes that share a database.
//
// It is a module of its own (github.com/lifecarbon/lifecarbon/registry/pgstore)
// so that the core module carries no database driver; it uses
// github.com/jackc/pgx/v5.
//
// The table holds one row per journal entry:
//
//	seq    bigint PRIMARY KEY   -- the entry's sequence number
//	time   timestamptz NOT NULL -- microseconds, as the registry writes them
//	kind   text NOT NULL
//	serial text NOT NULL        -- '' for a stock entry
//	body   bytea NOT NULL       -- the JSON body, byte for byte
//	prev   text NOT NULL
//	hash   text NOT NULL
//
// The body is kept as bytes, not jsonb, because the entry's hash covers it
// as written. Append inserts a row only when its seq is one past the last
// and its prev is the hash of the row before (in the same statement); the
// primary key makes two writers racing for one number safe, and the loser
// gets registry.ErrSeqTaken, as does a writer whose entry does not chain
// onto the journal's last row (its store was restored from a backup, say). Rows are never updated or deleted; a
// deployment may revoke UPDATE and DELETE on the table to make that a rule
// of the database too.
//
// A Store is safe for concurrent use (it holds a pgxpool.Pool).
package pgstore
