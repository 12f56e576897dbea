package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/newsbot/newsbot/internal/safe"
)

// Check is one condition of readiness (/readyz), such as the store being
// reachable or a chat adapter being connected.
type Check struct {
	Name string
	// Ready returns nil when the part is ready, else why not. It should
	// return promptly; it is given at most CheckTimeout.
	Ready func(ctx context.Context) error
}

// CheckTimeout bounds each readiness check.
const CheckTimeout = 3 * time.Second

// CheckResult is one check in the /readyz body.
type CheckResult struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// Readiness is the /readyz body.
type Readiness struct {
	Ready  bool          `json:"ready"`
	Checks []CheckResult `json:"checks"`
}

// readiness runs the checks concurrently, each recovering from a panic
// (which counts as not ready). stopping, when set, adds a failed
// "shutdown" check.
func readiness(ctx context.Context, checks []Check, stopping bool) Readiness {
	res := Readiness{Ready: true, Checks: make([]CheckResult, len(checks))}
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, CheckTimeout)
			defer cancel()
			var err error
			if perr := safe.Do(cctx, nil, "readiness check "+c.Name, func() { err = c.Ready(cctx) }); perr != nil {
				err = perr
			}
			res.Checks[i] = CheckResult{Name: c.Name, OK: err == nil}
			if err != nil {
				res.Checks[i].Error = err.Error()
			}
		}()
	}
	wg.Wait()
	if stopping {
		res.Checks = append(res.Checks, CheckResult{Name: "shutdown", Error: "shutting down"})
	}
	for _, c := range res.Checks {
		if !c.OK {
			res.Ready = false
		}
	}
	return res
}

// readyHandler answers /readyz: 200 and the checks when every one passes,
// 503 otherwise.
func readyHandler(checks []Check, stopping func() bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := readiness(r.Context(), checks, stopping())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !res.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	})
}
