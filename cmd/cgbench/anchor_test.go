package main

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// TestCanon checks that the answers of the two schemas compare equal when
// they hold the same data, and differ when they do not.
func TestCanon(t *testing.T) {
	tests := []struct {
		name     string
		api, lib string
		fromLib  func(map[string]any) map[string]any
		ordered  bool
		same     bool
	}{
		{name: "connection against list", api: `{"contracts":{"edges":[{"cursor":"x","node":{"id":"a","value":1.991e+06}},{"node":{"id":"b","value":2}}]}}`,
			lib: `{"contracts":[{"id":"a","value":1991000},{"id":"b","value":2}]}`, ordered: true, same: true},
		{name: "order of a sorted page counts", api: `{"contracts":{"edges":[{"node":{"id":"a"}},{"node":{"id":"b"}}]}}`,
			lib: `{"contracts":[{"id":"b"},{"id":"a"}]}`, ordered: true, same: false},
		{name: "relationship lists are sets", api: `{"authority":{"services":[{"name":"x","contracts":[{"id":"1"},{"id":"2"}]},{"name":"y","contracts":[]}]}}`,
			lib:     `{"authorities":[{"services":[{"name":"y","contracts":[]},{"name":"x","contracts":[{"id":"2"},{"id":"1"}]}]}]}`,
			fromLib: func(d map[string]any) map[string]any { return map[string]any{"authority": d["authorities"].([]any)[0]} }, same: true},
		{name: "a different value", api: `{"contract":{"id":"a","endDate":"2020-01-31"}}`,
			lib: `{"contract":{"id":"a","endDate":"2020-01-30"}}`, same: false},
		{name: "a missing element", api: `{"authority":{"services":[{"name":"x"},{"name":"x"}]}}`,
			lib: `{"authority":{"services":[{"name":"x"}]}}`, same: false},
		{name: "count", api: `{"contracts":{"totalCount":1343}}`, lib: `{"contractsConnection":{"totalCount":1343}}`,
			fromLib: func(d map[string]any) map[string]any { return map[string]any{"contracts": d["contractsConnection"]} }, same: true},
		{name: "search edges keep their score", api: `{"search":[{"score":4.1,"node":{"id":"a"}}]}`,
			lib: `{"search":{"edges":[{"score":4.2,"node":{"id":"a"}}]}}`, same: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, l map[string]any
			if err := json.Unmarshal([]byte(tt.api), &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.lib), &l); err != nil {
				t.Fatal(err)
			}
			if tt.fromLib != nil {
				l = tt.fromLib(l)
			}
			ca, _ := json.Marshal(canon(a, tt.ordered))
			cl, _ := json.Marshal(canon(l, tt.ordered))
			if got := string(ca) == string(cl); got != tt.same {
				t.Errorf("same = %v, want %v\nAPI:     %s\nlibrary: %s", got, tt.same, ca, cl)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	for answer, want := range map[string]bool{
		`{"contract":null}`:                         true,
		`{"contracts":[]}`:                          true,
		`{"contracts":{"nodes":[],"totalCount":0}}`: true,
		`{"contract":{"id":"a"}}`:                   false,
		`{"contracts":{"totalCount":0}}`:            false,
		`{"search":[{"score":1}]}`:                  false,
	} {
		if got := empty(answer); got != want {
			t.Errorf("empty(%s) = %v, want %v", answer, got, want)
		}
	}
}

// TestProcCPU checks that the CPU time of this process grows with work and
// that a process that does not exist is an error.
func TestProcCPU(t *testing.T) {
	before, err := procCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x, after := 0, before
	for start := time.Now(); after-before < 2*clockTick; after, _ = procCPU(os.Getpid()) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("CPU time did not grow in 10 s of work: %v, then %v", before, after)
		}
		for i := 0; i < 1e7; i++ {
			x += i
		}
	}
	_ = x
	if _, err := procCPU(1 << 30); err == nil {
		t.Error("procCPU of no process: want an error")
	}
}
