package commissioning

import (
	"context"
	"unicode"
)

// An idempotency key makes a write exactly-once: the store keeps it with
// the write, in the same transaction, so a retry with the same key (after a
// timeout, a lost connection, OUTCOME_UNKNOWN) returns the first answer and
// writes nothing. Keys belong to the principal that sent them; the same key
// with a different request is ECONFLICT.

// MaxIdempotencyKey is the longest idempotency key accepted.
const MaxIdempotencyKey = 200

type idempotencyKey struct{}

// WithIdempotencyKey returns ctx carrying key for the write made under it.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// IdempotencyKeyFrom returns the key WithIdempotencyKey put in ctx, or "".
func IdempotencyKeyFrom(ctx context.Context) string {
	k, _ := ctx.Value(idempotencyKey{}).(string)
	return k
}

// ValidateIdempotencyKey checks that a key a client sent is 1 to
// MaxIdempotencyKey printable ASCII characters (a UUID is a good key).
func ValidateIdempotencyKey(key string) error {
	if key == "" || len(key) > MaxIdempotencyKey {
		return Errorf(EINVALID, "an Idempotency-Key is 1 to %d characters, such as a UUID", MaxIdempotencyKey)
	}
	for _, r := range key {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return Errorf(EINVALID, "an Idempotency-Key holds printable ASCII characters only")
		}
	}
	return nil
}
