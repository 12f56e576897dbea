package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
)

// Two servers in turn on one Listener: a request made after the first
// stopped and before the second started is not refused; it waits and is
// answered by the second. The socket closes only with the Listener.
func TestListenerHandsTheSocketOver(t *testing.T) {
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	base := "http://" + l.Addr().String()
	serveOn := func(name string) (stop func() error) {
		ctx, cancel := context.WithCancel(context.Background())
		addr := make(chan string, 1)
		s := &Server{Listener: l, Listening: func(a string) { addr <- a },
			Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, name) })}
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		if a := <-addr; a != l.Addr().String() {
			t.Errorf("%s listens on %s, want the Listener's %s", name, a, l.Addr())
		}
		return func() error { cancel(); return <-done }
	}
	get := func() (string, error) {
		// A new connection each time, as after the first server's went.
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		res, err := c.Get(base + "/x")
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b), nil
	}

	stop := serveOn("waiting")
	if got, err := get(); err != nil || got != "waiting" {
		t.Fatalf("first server: %q, %v", got, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("first server: %v", err)
	}
	// No server serves now: the port still takes the connection and the
	// request (with a closed and rebound port it would be refused).
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatalf("dial between the servers: %v", err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /x HTTP/1.1\r\nHost: newsbot\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	stop = serveOn("serving")
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("the request made between the servers: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(b) != "serving" {
		t.Errorf("the request made between the servers got %q, want the second server's answer", b)
	}
	if err := stop(); err != nil {
		t.Fatalf("second server: %v", err)
	}
	l.Close()
	if _, err := get(); err == nil {
		t.Error("the socket still answers after Listener.Close")
	}
}
