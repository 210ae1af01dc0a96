package obs

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func TestRequestID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		keep bool
	}{
		{"abc-123", true},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
		{"req/7:a.b_c", true},
		{"", false},
		{"has space", false},
		{"new\nline", false},
		{"<script>", false},
		{strings.Repeat("a", 128), true},
		{strings.Repeat("a", 129), false},
	} {
		got := RequestID(tc.in)
		if tc.keep && got != tc.in {
			t.Errorf("RequestID(%q) = %q, want it kept", tc.in, got)
		}
		if !tc.keep && (got == tc.in || len(got) != 32) {
			t.Errorf("RequestID(%q) = %q, want a new 32-digit id", tc.in, got)
		}
	}
	if NewID() == NewID() {
		t.Error("two new ids are equal")
	}
}

func TestRequest(t *testing.T) {
	r := &Request{ID: "r1", Client: "192.0.2.1"}
	ctx := NewContext(context.Background(), r)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() { defer wg.Done(); FromContext(ctx).AddStatement() }()
	}
	wg.Wait()
	FromContext(ctx).SetOperation("Contracts", "query")
	FromContext(ctx).AddError("INVALID")
	FromContext(ctx).AddError("NOT_FOUND")
	s := r.Summary()
	if s.Statements != 10 || s.Operation != "Contracts" || s.OpType != "query" || s.Outcome() != "INVALID" || len(s.Codes) != 2 {
		t.Errorf("summary = %+v", s)
	}
	if ID(ctx) != "r1" || Client(ctx) != "192.0.2.1" {
		t.Errorf("ID, Client = %q, %q", ID(ctx), Client(ctx))
	}
	// Outside a request nothing is recorded and nothing fails.
	bg := context.Background()
	FromContext(bg).AddStatement()
	if ID(bg) != "" || FromContext(bg).Summary().Outcome() != "ok" {
		t.Error("a context without a request has an id or an outcome")
	}
}
