package neo4j

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// How often the probe tries a database that is down, and how long one try
// may take.
const (
	probeEvery   = 200 * time.Millisecond
	probeTimeout = time.Second
)

// breaker fails requests at once while the database is known to be down.
// A connection failure opens it; from then on a background probe tries the
// database every probeEvery, and the first success closes it again, so
// requests succeed within a fraction of a second of the database being
// back, without any request paying for the probing.
type breaker struct {
	probe   func(ctx context.Context) error
	down    atomic.Bool
	probing atomic.Bool
	done    chan struct{}
	once    sync.Once
}

func newBreaker(probe func(ctx context.Context) error) *breaker {
	return &breaker{probe: probe, done: make(chan struct{})}
}

// check returns EUNAVAILABLE while the database is known to be down.
func (b *breaker) check() error {
	if b != nil && b.down.Load() {
		return cg.Errorf(cg.EUNAVAILABLE, "the database is unavailable; try again in a few seconds")
	}
	return nil
}

func (b *breaker) up() bool { return b == nil || !b.down.Load() }

// fail marks the database down and starts the probe, unless it runs.
func (b *breaker) fail() {
	if b == nil {
		return
	}
	b.down.Store(true)
	if !b.probing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		t := time.NewTicker(probeEvery)
		defer t.Stop()
		for {
			select {
			case <-b.done:
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
			err := b.probe(ctx)
			cancel()
			if err == nil {
				// In this order, a failure reported meanwhile either
				// starts a probe of its own or is already over.
				b.probing.Store(false)
				b.down.Store(false)
				return
			}
		}
	}()
}

func (b *breaker) stop() {
	if b != nil {
		b.once.Do(func() { close(b.done) })
	}
}
