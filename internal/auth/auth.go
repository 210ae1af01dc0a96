// Package auth verifies and mints the bearer tokens of the API: JWTs signed
// with HS256 (a shared secret) or RS256/ES256 (a public key), carrying the
// subject, a role and, for editors, an authority. It uses
// github.com/golang-jwt/jwt/v5 and accepts only the algorithms configured,
// so unsigned tokens (alg "none") and algorithm confusion (an HS256 token
// "signed" with the public key) are refused.
package auth

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Claims are the claims of a token: the registered ones (sub, exp, iat),
// the role and, for editors, the id of their Authority.
type Claims struct {
	Role      string `json:"role"`
	Authority string `json:"authority,omitempty"`
	jwt.RegisteredClaims
}

// Verifier checks tokens against the keys it was configured with.
type Verifier struct {
	secret []byte
	public any // *rsa.PublicKey or *ecdsa.PublicKey
	algs   []string
}

// NewVerifier returns a Verifier for an HS256 secret, a PEM public key
// (RSA for RS256, ECDSA P-256 for ES256), or both. With neither, every
// token is refused.
func NewVerifier(secret []byte, publicKeyPEM []byte) (*Verifier, error) {
	v := &Verifier{}
	if len(secret) > 0 {
		if len(secret) < 32 {
			return nil, errors.New("the HS256 secret must be at least 32 bytes")
		}
		v.secret = secret
		v.algs = append(v.algs, jwt.SigningMethodHS256.Alg())
	}
	if len(publicKeyPEM) > 0 {
		if k, err := jwt.ParseRSAPublicKeyFromPEM(publicKeyPEM); err == nil {
			v.public = k
			v.algs = append(v.algs, jwt.SigningMethodRS256.Alg())
		} else if k, err := jwt.ParseECPublicKeyFromPEM(publicKeyPEM); err == nil {
			v.public = k
			v.algs = append(v.algs, jwt.SigningMethodES256.Alg())
		} else {
			return nil, errors.New("the public key is neither an RSA nor an ECDSA key in PEM")
		}
	}
	return v, nil
}

// NewVerifierFromEnv configures a Verifier from AUTH_JWT_SECRET and
// AUTH_JWT_PUBLIC_KEY_FILE.
func NewVerifierFromEnv(getenv func(string) string) (*Verifier, error) {
	var key []byte
	if f := getenv("AUTH_JWT_PUBLIC_KEY_FILE"); f != "" {
		var err error
		if key, err = os.ReadFile(f); err != nil {
			return nil, fmt.Errorf("AUTH_JWT_PUBLIC_KEY_FILE: %w", err)
		}
	}
	v, err := NewVerifier([]byte(getenv("AUTH_JWT_SECRET")), key)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return v, nil
}

// Verify checks a token's signature, algorithm, expiry and claims and
// returns its principal. Every failure is EUNAUTHORIZED with a reason that
// reveals nothing of the keys.
func (v *Verifier) Verify(token string) (cg.Principal, error) {
	if len(v.algs) == 0 {
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "this server accepts no tokens: it has no AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY_FILE")
	}
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, v.key,
		jwt.WithValidMethods(v.algs), jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "the token has expired")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "the token has no expiry (exp)")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "the token's signature or algorithm is not accepted")
	case err != nil:
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "the token is not valid: %s", reason(err))
	}
	p := cg.Principal{Subject: c.Subject, Role: cg.Role(c.Role), Authority: c.Authority}
	switch {
	case p.Subject == "":
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "the token has no subject (sub)")
	case !p.Role.Valid():
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "the token's role %q is not viewer, editor or admin", c.Role)
	case p.Role == cg.RoleEditor && p.Authority == "":
		return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "an editor's token must name its authority")
	}
	return p, nil
}

// key picks the key for the token's algorithm; WithValidMethods has already
// refused any algorithm not configured.
func (v *Verifier) key(t *jwt.Token) (any, error) {
	switch t.Method.(type) {
	case *jwt.SigningMethodHMAC:
		if v.secret != nil {
			return v.secret, nil
		}
	case *jwt.SigningMethodRSA:
		if k, ok := v.public.(*rsa.PublicKey); ok {
			return k, nil
		}
	case *jwt.SigningMethodECDSA:
		if k, ok := v.public.(*ecdsa.PublicKey); ok {
			return k, nil
		}
	}
	return nil, jwt.ErrTokenUnverifiable
}

// reason keeps the first clause of a jwt error: what is wrong, not how.
func reason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// Mint signs an HS256 token for sub with the given role and authority,
// valid for ttl from now.
func Mint(secret []byte, sub string, role cg.Role, authority string, ttl time.Duration) (string, error) {
	if len(secret) < 32 {
		return "", errors.New("AUTH_JWT_SECRET must be set to at least 32 bytes to mint tokens")
	}
	if !role.Valid() {
		return "", fmt.Errorf("role %q is not viewer, editor or admin", role)
	}
	if role == cg.RoleEditor && authority == "" {
		return "", errors.New("an editor's token needs --authority")
	}
	if sub == "" || ttl <= 0 {
		return "", errors.New("a token needs a subject and a positive ttl")
	}
	now := time.Now()
	return jwt.NewWithClaims(jwt.SigningMethodHS256, Claims{
		Role:      string(role),
		Authority: authority,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   sub,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}).SignedString(secret)
}
