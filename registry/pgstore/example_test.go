package pgstore_test

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/lifecarbon/lifecarbon/registry/pgstore"
)

// A registry whose journal lives in PostgreSQL. (Not run as a test: it
// needs a server; the package's tests run against one in CI.)
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("LIFECARBON_POSTGRES_URL"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()
	store, err := pgstore.New(ctx, pool, "lifecarbon_journal")
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := registry.Open(ctx, store, registry.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	seq, head := reg.Head()
	fmt.Println("journal at entry", seq, head)
}
