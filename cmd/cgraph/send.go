package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"
)

// isMutation matches a GraphQL document that is a mutation.
var isMutation = regexp.MustCompile(`^\s*mutation\b`)

// sendCodes are the error codes after which a mutation is sent again with
// the same Idempotency-Key.
var sendCodes = map[string]bool{"OUTCOME_UNKNOWN": true, "UNAVAILABLE": true}

// send posts one GraphQL document to a running API and prints the
// response. A mutation goes with an Idempotency-Key (-key, or a random
// one) and is sent again with the same key, up to -tries times, while the
// answer is OUTCOME_UNKNOWN or UNAVAILABLE or no answer comes: the server
// applies it once.
func send(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080/graphql", "the GraphQL endpoint")
	token := fs.String("token", getenv("CGRAPH_TOKEN"), "bearer token (default $CGRAPH_TOKEN)")
	vars := fs.String("vars", "{}", "variables, as a JSON object")
	key := fs.String("key", "", "Idempotency-Key of a mutation (default: a random one)")
	tries := fs.Int("tries", 5, "how many times a mutation is sent while its outcome is unknown")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: cgraph send [-url URL] [-token T] [-vars JSON] [-key K] DOCUMENT")
	}
	var variables map[string]any
	if err := json.Unmarshal([]byte(*vars), &variables); err != nil {
		return fmt.Errorf("send: -vars: %w", err)
	}
	body, _ := json.Marshal(map[string]any{"query": fs.Arg(0), "variables": variables})
	mutation := isMutation.MatchString(fs.Arg(0))
	if mutation && *key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		*key = hex.EncodeToString(b)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, *url, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("send: %w", err)
		}
		req.Header.Set("Content-Type", "application/json")
		if *token != "" {
			req.Header.Set("Authorization", "Bearer "+*token)
		}
		if mutation {
			req.Header.Set("Idempotency-Key", *key)
		}
		code, raw, err := post(client, req)
		if mutation && attempt < *tries && (err != nil || sendCodes[code]) {
			fmt.Fprintf(stderr, "send: %s; sending again with Idempotency-Key %s\n", orString(code, err), *key)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt) * 500 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("send: %w", err)
		}
		_, _ = stdout.Write(append(raw, '\n'))
		if code != "" {
			return fmt.Errorf("send: %s", code)
		}
		return nil
	}
}

// post sends req and returns the code of the response's first error ("" for
// none) and the response.
func post(client *http.Client, req *http.Request) (string, []byte, error) {
	res, err := client.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return "", nil, err
	}
	var r struct {
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", nil, fmt.Errorf("HTTP %d without a GraphQL response", res.StatusCode)
	}
	if len(r.Errors) > 0 {
		return r.Errors[0].Extensions.Code, bytes.TrimSpace(raw), nil
	}
	return "", bytes.TrimSpace(raw), nil
}

func orString(code string, err error) string {
	if err != nil {
		return err.Error()
	}
	return code
}
