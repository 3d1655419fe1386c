package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// measure runs op from conc workers until total operations or budget time
// have passed, whichever comes first, and summarises the latencies.
func measure(ctx context.Context, conc, total int, budget time.Duration, op func(worker, i int) error) Result {
	var (
		mu      sync.Mutex
		lat     []time.Duration
		errs    atomic.Int64
		next    atomic.Int64
		wg      sync.WaitGroup
		started = time.Now()
	)
	deadline := started.Add(budget)
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := int(next.Add(1)) - 1
				if i >= total || time.Now().After(deadline) || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				if err := op(w, i); err != nil {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(started)
	r := summarise(lat)
	r.Concurrency = conc
	r.Errors = int(errs.Load())
	r.RPS = float64(len(lat)) / elapsed.Seconds()
	r.latencies, r.elapsed = lat, elapsed
	return r
}

// pooled summarises several runs of one variant as one: their latencies
// together, and their requests over their time together.
func pooled(runs ...Result) Result {
	var lat []time.Duration
	var elapsed time.Duration
	errs := 0
	for _, r := range runs {
		lat = append(lat, r.latencies...)
		elapsed += r.elapsed
		errs += r.Errors
	}
	r := summarise(lat)
	r.Concurrency, r.Errors = runs[0].Concurrency, errs
	r.RPS = float64(len(lat)) / elapsed.Seconds()
	return r
}

func summarise(lat []time.Duration) Result {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(p*float64(len(lat))+0.5) - 1
		i = max(0, min(i, len(lat)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	return Result{Requests: len(lat), P50: pct(0.50), P95: pct(0.95), P99: pct(0.99)}
}
