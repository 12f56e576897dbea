package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrBlockedAddress means a request was aimed, directly, through DNS or by
// a redirect, at a link-local or cloud-metadata address, which the Client
// does not fetch unless AllowLinkLocal is set. Feeds and article links come
// from strangers; an instance metadata service answers anyone who asks
// from inside the machine, often with credentials.
var ErrBlockedAddress = errors.New("address not allowed: link-local or cloud metadata")

// metadataHosts are the names of cloud metadata services that may resolve
// to addresses outside the blocked ranges (through a proxy, or a resolver
// that answers differently), so they are refused by name as well.
var metadataHosts = map[string]bool{
	"metadata.google.internal":   true, // Google Cloud
	"metadata.goog":              true, // Google Cloud
	"metadata":                   true, // Google Cloud's short name
	"instance-data":              true, // AWS's old name
	"instance-data.ec2.internal": true,
}

// metadataAddrs are metadata services outside the link-local ranges.
var metadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS over IPv6
	netip.MustParseAddr("168.63.129.16"):   true, // Azure's wire server
}

// blockedAddr reports whether ip is link-local (169.254.0.0/16, which holds
// 169.254.169.254, the metadata service of AWS, GCP, Azure, OpenStack and
// others; fe80::/10) or a known metadata address. IPv4-mapped IPv6 forms
// count as their IPv4 address. Loopback and private addresses are allowed.
func blockedAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || metadataAddrs[ip]
}

// blockedHost reports whether a URL's host (a name or a literal address,
// without port) is refused before any dial.
func blockedHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if metadataHosts[h] {
		return true
	}
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return blockedAddr(ip)
	}
	return false
}

// checkURL returns an error wrapping ErrBlockedAddress when u's host is
// refused by name or literal address.
func (c *Client) checkURL(u *url.URL) error {
	if c.AllowLinkLocal || !blockedHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%s: %w", u.Hostname(), ErrBlockedAddress)
}

// dialControl refuses, at connect time, addresses the Client may not reach:
// it sees the address DNS actually gave (so a name that resolves, or is
// rebound, to a metadata address is caught) and every hop of a redirect.
func dialControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, ErrBlockedAddress) // not an IP: refuse rather than guess
	}
	if blockedAddr(ap.Addr()) {
		return fmt.Errorf("dial %s: %w", address, ErrBlockedAddress)
	}
	return nil
}

// guardTransport returns a transport whose dials are guarded by
// dialControl: a clone of http.DefaultTransport for nil, a clone of tr for
// an *http.Transport (a custom DialContext of its is checked on the address
// it connected to). Any other RoundTripper is returned as it is: it dials
// its own way and must do its own guarding.
func guardTransport(tr http.RoundTripper) http.RoundTripper {
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: dialControl}).DialContext
		return t
	}
	t, ok := tr.(*http.Transport)
	if !ok {
		return tr
	}
	t = t.Clone()
	next := t.DialContext
	if next == nil {
		t.DialContext = (&net.Dialer{Control: dialControl}).DialContext
		return t
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := next(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if ra, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
			if ip, ok := netip.AddrFromSlice(ra.IP); ok && blockedAddr(ip) {
				conn.Close()
				return nil, fmt.Errorf("dial %s: %w", ra, ErrBlockedAddress)
			}
		}
		return conn, nil
	}
	return t
}
