package server

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, err := ParsePrefixes("10.0.0.0/8, 192.0.2.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, remote string
		forwarded    []string
		trusted      bool
		want         string
	}{
		{"direct", "203.0.113.5:4000", nil, true, "203.0.113.5"},
		{"untrusted peer's header ignored", "203.0.113.5:4000", []string{"198.51.100.1"}, true, "203.0.113.5"},
		{"through a trusted balancer", "10.1.2.3:4000", []string{"198.51.100.1"}, true, "198.51.100.1"},
		{"two trusted hops", "10.1.2.3:4000", []string{"198.51.100.1, 192.0.2.1"}, true, "198.51.100.1"},
		{"a forged hop before the real one", "10.1.2.3:4000", []string{"1.2.3.4, 198.51.100.1"}, true, "198.51.100.1"},
		{"several headers", "10.1.2.3:4000", []string{"1.2.3.4", "198.51.100.1"}, true, "198.51.100.1"},
		{"garbage", "10.1.2.3:4000", []string{"not-an-address"}, true, "10.1.2.3"},
		{"all trusted", "10.1.2.3:4000", []string{"10.9.9.9"}, true, "10.1.2.3"},
		{"no header", "10.1.2.3:4000", nil, true, "10.1.2.3"},
		{"ipv6 loopback proxy", "[::1]:4000", []string{"2001:db8::7"}, true, "2001:db8::7"},
		{"nothing trusted", "10.1.2.3:4000", []string{"198.51.100.1"}, false, "10.1.2.3"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, f := range tc.forwarded {
			r.Header.Add("X-Forwarded-For", f)
		}
		tr := trusted
		if !tc.trusted {
			tr = nil
		}
		if got := ClientAddr(r, tr); got != tc.want {
			t.Errorf("%s: ClientAddr = %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix is accepted")
	}
	if _, err := ParsePrefixes("ten"); err == nil {
		t.Error("a bad address is accepted")
	}
	if p, err := ParsePrefixes(" "); err != nil || len(p) != 0 {
		t.Errorf("an empty list = %v, %v", p, err)
	}
}
