package auth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/commissioning-graph/cgraph/internal/auth"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var secret = []byte("a-test-secret-of-at-least-32-bytes!!")

func sign(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pemOf(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestVerify(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaPEM, ecPEM := pemOf(t, &rsaKey.PublicKey), pemOf(t, &ecKey.PublicKey)
	hs, _ := auth.NewVerifier(secret, nil)
	rs, _ := auth.NewVerifier(nil, rsaPEM)
	es, _ := auth.NewVerifier(nil, ecPEM)
	none, _ := auth.NewVerifier(nil, nil)

	exp := time.Now().Add(time.Hour).Unix()
	editor := jwt.MapClaims{"sub": "alice", "role": "editor", "authority": "authority:bromley", "exp": exp}
	unsigned, _ := jwt.NewWithClaims(jwt.SigningMethodNone, editor).SignedString(jwt.UnsafeAllowNoneSignatureType)
	minted, _ := auth.Mint(secret, "bob", cg.RoleAdmin, "", time.Hour)

	for _, tt := range []struct {
		name  string
		v     *auth.Verifier
		token string
		want  cg.Principal
		error string
	}{
		{"HS256 editor", hs, sign(t, jwt.SigningMethodHS256, secret, editor),
			cg.Principal{Subject: "alice", Role: cg.RoleEditor, Authority: "authority:bromley"}, ""},
		{"minted admin", hs, minted, cg.Principal{Subject: "bob", Role: cg.RoleAdmin}, ""},
		{"RS256", rs, sign(t, jwt.SigningMethodRS256, rsaKey, editor),
			cg.Principal{Subject: "alice", Role: cg.RoleEditor, Authority: "authority:bromley"}, ""},
		{"ES256", es, sign(t, jwt.SigningMethodES256, ecKey, editor),
			cg.Principal{Subject: "alice", Role: cg.RoleEditor, Authority: "authority:bromley"}, ""},
		{"expired", hs, sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "a", "role": "viewer", "exp": time.Now().Add(-time.Hour).Unix()}),
			cg.Principal{}, "expired"},
		{"no expiry", hs, sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "a", "role": "viewer"}), cg.Principal{}, "no expiry"},
		{"malformed", hs, "not.a.token", cg.Principal{}, "not valid"},
		{"garbage", hs, "garbage", cg.Principal{}, "not valid"},
		{"wrong secret", hs, sign(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-bytes"), editor), cg.Principal{}, "signature"},
		{"alg none", hs, unsigned, cg.Principal{}, "not"},
		{"alg none against a public key", rs, unsigned, cg.Principal{}, "not"},
		{"HS256 signed with the RSA public key (alg confusion)", rs, sign(t, jwt.SigningMethodHS256, rsaPEM, editor), cg.Principal{}, "not"},
		{"RS256 when only HS256 is configured", hs, sign(t, jwt.SigningMethodRS256, rsaKey, editor), cg.Principal{}, "not"},
		{"HS384 is not accepted", hs, sign(t, jwt.SigningMethodHS384, secret, editor), cg.Principal{}, "not"},
		{"unknown role", hs, sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "a", "role": "root", "exp": exp}), cg.Principal{}, "role"},
		{"editor without authority", hs, sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "a", "role": "editor", "exp": exp}), cg.Principal{}, "authority"},
		{"no subject", hs, sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"role": "viewer", "exp": exp}), cg.Principal{}, "subject"},
		{"no keys configured", none, minted, cg.Principal{}, "accepts no tokens"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.v.Verify(tt.token)
			if tt.error == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Verify() = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if cg.ErrorCode(err) != cg.EUNAUTHORIZED || !strings.Contains(err.Error(), tt.error) {
				t.Fatalf("Verify() = %+v, %v; want an unauthorized error about %q", got, err, tt.error)
			}
		})
	}
}

func TestMintRefuses(t *testing.T) {
	for name, mint := range map[string]func() (string, error){
		"short secret":             func() (string, error) { return auth.Mint([]byte("short"), "a", cg.RoleAdmin, "", time.Hour) },
		"unknown role":             func() (string, error) { return auth.Mint(secret, "a", "root", "", time.Hour) },
		"editor without authority": func() (string, error) { return auth.Mint(secret, "a", cg.RoleEditor, "", time.Hour) },
		"no ttl":                   func() (string, error) { return auth.Mint(secret, "a", cg.RoleAdmin, "", 0) },
	} {
		if _, err := mint(); err == nil {
			t.Errorf("%s: minted a token", name)
		}
	}
}
