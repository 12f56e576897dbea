package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheckAction asks the `serve` of this machine whether it is alive
// (`newsbot healthcheck`, GET /healthz on NEWSBOT_HTTP_ADDR, or /readyz
// with --ready): exit 0 when it answers 200, 1 otherwise. It is the
// container image's HEALTHCHECK, which has no curl.
func healthcheckAction(ctx context.Context, c *invocation) error {
	host, port, err := net.SplitHostPort(c.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("healthcheck: NEWSBOT_HTTP_ADDR %q: %w", c.cfg.HTTPAddr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	path := "/healthz"
	if c.o.ready {
		path = "/readyz"
	}
	url := "http://" + net.JoinHostPort(host, port) + path
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(c.sio.out, "%s: %s\n", url, resp.Status)
	return nil
}
