package commissioning

import "context"

// Role is what a principal may do.
type Role string

// Roles, from least to most trusted.
const (
	// RoleViewer may read.
	RoleViewer Role = "viewer"
	// RoleEditor may read, and write inside its own authority's part of the
	// graph and to shared entities (see BelongsUp).
	RoleEditor Role = "editor"
	// RoleAdmin may read and write anywhere, and import OCDS files.
	RoleAdmin Role = "admin"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	return r == RoleViewer || r == RoleEditor || r == RoleAdmin
}

// Principal is who makes a request: the subject of a verified token, its
// role and, for editors, the id of the Authority it writes for. The zero
// Principal is anonymous.
type Principal struct {
	Subject   string
	Role      Role
	Authority string
}

// Anonymous reports whether p carries no verified identity.
func (p Principal) Anonymous() bool { return p.Subject == "" }

// MayRead returns nil when p may read while reads need a viewer.
func (p Principal) MayRead() error {
	if p.Anonymous() {
		return Errorf(EUNAUTHORIZED, "reading needs a bearer token")
	}
	return nil
}

// MayWrite returns nil when p's role lets it write at all: EUNAUTHORIZED
// when there is no token, EFORBIDDEN when its role may not write.
func (p Principal) MayWrite() error {
	switch {
	case p.Anonymous():
		return Errorf(EUNAUTHORIZED, "writing needs a bearer token with the role editor or admin")
	case p.Role == RoleAdmin:
		return nil
	case p.Role == RoleEditor && p.Authority != "":
		return nil
	case p.Role == RoleEditor:
		return Errorf(EFORBIDDEN, "an editor's token must name its authority")
	}
	return Errorf(EFORBIDDEN, "the role %q may not write", p.Role)
}

// MayAdminister returns nil when p is an admin.
func (p Principal) MayAdminister() error {
	if err := p.MayWrite(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return Errorf(EFORBIDDEN, "only an admin may do this")
	}
	return nil
}

type principalKey struct{}

// NewContext returns a copy of ctx that carries p.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal ctx carries, or the anonymous one.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// The authority rule. An entity belongs to an authority when it is that
// Authority or reaches it by following ownership steps: each step goes from
// an entity to one that owns it, either forwards along a relationship of
// BelongsUp (a Team is PART_OF its Authority, a Contract is BOUGHT_BY it, a
// Decision is TAKEN_BY a Post that is POST_IN it) or backwards along one of
// BelongsDown (an Authority HAS_RULE its Rule, a Meeting HAS_ITEM its agenda
// items). An entity that reaches no authority at all is shared: Providers,
// People and Sources always are, because no ownership step leaves them, and
// so is a new entity until it is linked. Editors may write what belongs to
// their own authority and what is shared; for a link or an unlink both ends
// must be so, and deleting an entity needs the same of every entity it is
// linked to, since the links go with it (for a Source, of every entity that
// cites it). Admins may write anything.
//
// Which relationship types are ownership steps, and which way, is declared
// with each relationship in Types (RelationshipDecl.Owner): see BelongsUp and
// BelongsDown.

// MaxBelongsSteps bounds the ownership path from an entity to its authority;
// the longest in the model (a Resolution, through its Decision, Post and
// Department) is well within it.
const MaxBelongsSteps = 8
