package neo4j_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/seed"
)

var (
	admin  = cg.Principal{Subject: "test-neo4j-admin", Role: cg.RoleAdmin}
	editor = cg.Principal{Subject: "test-neo4j-editor", Role: cg.RoleEditor, Authority: homeAuthority}
	viewer = cg.Principal{Subject: "test-neo4j-viewer", Role: cg.RoleViewer}
)

// written is what the write tests of this file write: entities named
// test-w-…, the sources of their "test minute", and what their principals
// did.
var written = neo4jtest.Scope{Names: []string{"test-w-"}, Documents: []string{"test minute"},
	Actors: []string{admin.Subject, editor.Subject, viewer.Subject, "x", ""}}

func ptr[T any](v T) *T { return &v }

// cleanup removes test entities, their audit records and the sources of
// the "test minute" now and when the test ends.
func cleanup(t *testing.T, db *neo4j.DB, ids ...string) {
	t.Helper()
	forget := func() {
		neo4jtest.MustForget(t, ids...)
		neo4jtest.MustForgetSources(t, "test minute")
	}
	forget()
	t.Cleanup(forget)
}

// unchanged fails the test when what the write tests wrote, or the seeded
// minute, moved.
func unchanged(t *testing.T) func() {
	t.Helper()
	return neo4jtest.MustUnchanged(t, written)
}

// The editor's authority, with a team and a contract of its own: the write
// tests link to these, never to the seeded minute, which tests running
// beside them read.
const (
	homeAuthority = "authority:test-w-home"
	homeTeam      = "team:test-w-home"
	homeContract  = "contract:test-w-home"
)

// mustHome writes the editor's authority, team and contract, and forgets
// them when the test ends.
func mustHome(t *testing.T, db *neo4j.DB, store *neo4j.Store) {
	t.Helper()
	cleanup(t, db, homeAuthority, homeTeam, homeContract)
	ctx := context.Background()
	for _, e := range []cg.Entity{
		&cg.Authority{ID: homeAuthority, Name: "Home Borough"},
		&cg.Team{ID: homeTeam, Name: "Home Team"},
		&cg.Contract{ID: homeContract, Title: "Home contract"},
	} {
		if _, err := store.CreateEntity(ctx, admin, e, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range [][3]string{{string(cg.RelPartOf), homeTeam, homeAuthority}, {string(cg.RelBoughtBy), homeContract, homeAuthority}} {
		if _, err := store.LinkEntities(ctx, admin, cg.RelType(l[0]), l[1], l[2], nil); err != nil {
			t.Fatal(err)
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if cg.ErrorCode(err) != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func TestCreateUpdateDelete(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	const id = "team:test-w-crud"
	cleanup(t, db, id)

	src := &cg.Provenance{Document: "test minute", Passage: "The team was formed."}
	e, err := store.CreateEntity(ctx, admin, &cg.Team{ID: id, Name: "Crud Team", Launched: ptr("2024-02")}, src)
	if err != nil {
		t.Fatal(err)
	}
	if team := e.(*cg.Team); team.Version != 1 || team.Name != "Crud Team" || *team.Launched != "2024-02" {
		t.Fatalf("created %+v", team)
	}
	if got := db.MustCount(t, "MATCH (:Team {id: $id})-[:SOURCED_FROM]->(s:Source {passage: $p}) RETURN count(s)",
		map[string]any{"id": id, "p": src.Passage}); got != 1 {
		t.Errorf("created team cites %d sources, want 1", got)
	}

	t.Run("duplicate id", func(t *testing.T) {
		defer unchanged(t)()
		_, err := store.CreateEntity(ctx, admin, &cg.Service{ID: id, Name: "Clash"}, nil)
		wantCode(t, err, cg.ECONFLICT)
	})

	e, err = store.UpdateEntity(ctx, admin, &cg.Team{ID: id, Name: "Renamed Team", Description: ptr("d")}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if team := e.(*cg.Team); team.Version != 2 || team.Name != "Renamed Team" || team.Launched != nil {
		t.Fatalf("updated %+v, want version 2, new name and no launch date", team)
	}

	t.Run("stale version", func(t *testing.T) {
		defer unchanged(t)()
		_, err := store.UpdateEntity(ctx, admin, &cg.Team{ID: id, Name: "Lost update"}, 1)
		wantCode(t, err, cg.ECONFLICT)
		wantCode(t, store.DeleteEntity(ctx, admin, id, 1), cg.ECONFLICT)
	})
	t.Run("wrong label", func(t *testing.T) {
		_, err := store.UpdateEntity(ctx, admin, &cg.Service{ID: id, Name: "x"}, 2)
		wantCode(t, err, cg.ENOTFOUND)
	})
	t.Run("invalid", func(t *testing.T) {
		defer unchanged(t)()
		_, err := store.UpdateEntity(ctx, admin, &cg.Team{ID: id, Name: "x", Launched: ptr("2024-13")}, 2)
		wantCode(t, err, cg.EINVALID)
	})

	if err := store.DeleteEntity(ctx, admin, id, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := store.FindEntity(ctx, id); cg.ErrorCode(err) != cg.ENOTFOUND {
		t.Fatalf("after delete: %v", err)
	}

	// The history outlives the entity: create, update, delete, in order.
	changes, err := store.FindChanges(ctx, cg.ChangeFilter{EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, c := range changes {
		ops = append(ops, string(c.Operation))
		if c.Actor != admin.Subject || c.At.IsZero() || c.Label != cg.LabelTeam {
			t.Errorf("change %+v", c)
		}
	}
	if got := strings.Join(ops, ","); got != "CREATE,UPDATE,DELETE" {
		t.Fatalf("operations = %s", got)
	}
	upd := changes[1].Fields
	want := []cg.FieldChange{
		{Name: "description", Before: "null", After: `"d"`},
		{Name: "launched", Before: `"2024-02"`, After: "null"},
		{Name: "name", Before: `"Crud Team"`, After: `"Renamed Team"`},
	}
	if len(upd) != len(want) {
		t.Fatalf("update fields = %+v, want %+v", upd, want)
	}
	for i := range want {
		if upd[i] != want[i] {
			t.Errorf("update field %d = %+v, want %+v", i, upd[i], want[i])
		}
	}
}

func TestLinkUnlink(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	const svc = "service:test-w-link"
	cleanup(t, db, svc)
	mustHome(t, db, store)
	if _, err := store.CreateEntity(ctx, admin, &cg.Service{ID: svc, Name: "Link Service"}, nil); err != nil {
		t.Fatal(err)
	}
	src := &cg.Provenance{Document: "test minute", Passage: "The service joined the Home Team."}
	l, err := store.LinkEntities(ctx, editor, cg.RelIntegratedInto, svc, homeTeam, src)
	if err != nil {
		t.Fatal(err)
	}
	if l.Node.EntityID() != homeTeam || len(l.SourceIDs) != 1 {
		t.Fatalf("link = %+v", l)
	}

	for _, tt := range []struct {
		name     string
		t        cg.RelType
		from, to string
		code     string
	}{
		{"duplicate", cg.RelIntegratedInto, svc, homeTeam, cg.ECONFLICT},
		{"dangling end", cg.RelIntegratedInto, svc, "team:nowhere", cg.ENOTFOUND},
		{"labels the type may not join", cg.RelIntegratedInto, homeTeam, svc, cg.EINVALID},
		{"unknown type", "DELETES", svc, homeTeam, cg.EINVALID},
		{"provenance type", cg.RelSourcedFrom, svc, seed.SourceID(seed.Heading), cg.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer unchanged(t)()
			_, err := store.LinkEntities(ctx, admin, tt.t, tt.from, tt.to, nil)
			wantCode(t, err, tt.code)
		})
	}

	if err := store.UnlinkEntities(ctx, editor, cg.RelIntegratedInto, svc, homeTeam); err != nil {
		t.Fatal(err)
	}
	wantCode(t, store.UnlinkEntities(ctx, editor, cg.RelIntegratedInto, svc, homeTeam), cg.ENOTFOUND)

	changes, err := store.FindChanges(ctx, cg.ChangeFilter{EntityID: homeTeam, Actor: editor.Subject})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].Operation != cg.ChangeLink || changes[1].Operation != cg.ChangeUnlink ||
		*changes[0].ToID != homeTeam || *changes[0].RelType != cg.RelIntegratedInto {
		t.Fatalf("changes of the team by the editor = %+v", changes)
	}
}

// The authority rule: editors write inside their authority and to shared
// entities; admins anywhere; everyone else nowhere. Denied writes change
// nothing.
func TestAuthorityScope(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	const (
		other      = "authority:test-w-other"
		otherTeam  = "team:test-w-other"
		otherDec   = "decision:test-w-other"
		otherPost  = "post:test-w-other"
		otherCon   = "contract:test-w-other"
		mineTeam   = "team:test-w-mine"
		sharedProv = "provider:test-w-shared"
	)
	cleanup(t, db, other, otherTeam, otherDec, otherPost, otherCon, mineTeam, sharedProv)
	mustHome(t, db, store)
	for _, e := range []cg.Entity{
		&cg.Authority{ID: other, Name: "Other Borough"},
		&cg.Team{ID: otherTeam, Name: "Other Team"},
		&cg.Post{ID: otherPost, Label: "Other Leader"},
		&cg.Decision{ID: otherDec, Title: "Other decision"},
		&cg.Team{ID: mineTeam, Name: "Mine"},
		&cg.Provider{ID: sharedProv, Name: "Shared Provider"},
		&cg.Contract{ID: otherCon, Title: "Other contract"},
	} {
		if _, err := store.CreateEntity(ctx, admin, e, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range [][3]string{
		{string(cg.RelPartOf), otherTeam, other},
		{string(cg.RelPostIn), otherPost, other},
		{string(cg.RelTakenBy), otherDec, otherPost},
		{string(cg.RelBoughtBy), otherCon, other},
		{string(cg.RelHoldsContract), sharedProv, otherCon},
	} {
		if _, err := store.LinkEntities(ctx, admin, cg.RelType(l[0]), l[1], l[2], nil); err != nil {
			t.Fatal(err)
		}
	}
	// A new entity is shared until linked: the editor claims it for its
	// authority.
	if _, err := store.LinkEntities(ctx, editor, cg.RelPartOf, mineTeam, homeAuthority, nil); err != nil {
		t.Fatalf("editor linking a new team to its authority: %v", err)
	}

	allowed := map[string]func() error{
		"update own team": func() error {
			_, err := store.UpdateEntity(ctx, editor, &cg.Team{ID: mineTeam, Name: "Mine, renamed"}, 1)
			return err
		},
		"update a shared provider": func() error {
			_, err := store.UpdateEntity(ctx, editor, &cg.Provider{ID: sharedProv, Name: "Shared", Sector: ptr(cg.SectorVoluntary)}, 1)
			return err
		},
		"link a shared provider to own contract": func() error {
			_, err := store.LinkEntities(ctx, editor, cg.RelHoldsContract, sharedProv, homeContract, nil)
			return err
		},
		"admin updates another authority's team": func() error {
			_, err := store.UpdateEntity(ctx, admin, &cg.Team{ID: otherTeam, Name: "Other Team"}, 1)
			return err
		},
	}
	for name, write := range allowed {
		t.Run("allowed/"+name, func(t *testing.T) {
			if err := write(); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := store.UnlinkEntities(ctx, admin, cg.RelHoldsContract, sharedProv, homeContract); err != nil {
		t.Fatal(err)
	}

	denied := []struct {
		name  string
		code  string
		write func() error
	}{
		{"editor updates another authority's team", cg.EFORBIDDEN, func() error {
			_, err := store.UpdateEntity(ctx, editor, &cg.Team{ID: otherTeam, Name: "Taken over"}, 1)
			return err
		}},
		{"editor deletes another authority's decision", cg.EFORBIDDEN, func() error {
			return store.DeleteEntity(ctx, editor, otherDec, 1)
		}},
		{"editor links own contract to another authority's decision", cg.EFORBIDDEN, func() error {
			_, err := store.LinkEntities(ctx, editor, cg.RelAwards, otherDec, homeContract, nil)
			return err
		}},
		{"editor moves own team to another authority", cg.EFORBIDDEN, func() error {
			_, err := store.LinkEntities(ctx, editor, cg.RelPartOf, mineTeam, other, nil)
			return err
		}},
		{"editor unlinks another authority's team", cg.EFORBIDDEN, func() error {
			return store.UnlinkEntities(ctx, editor, cg.RelPartOf, otherTeam, other)
		}},
		{"editor deletes a shared provider holding another authority's contract", cg.EFORBIDDEN, func() error {
			return store.DeleteEntity(ctx, editor, sharedProv, 2)
		}},
		{"editor deletes a source that another authority's entities cite", cg.EFORBIDDEN, func() error {
			return store.DeleteEntity(ctx, cg.Principal{Subject: "x", Role: cg.RoleEditor, Authority: other}, seed.SourceID(seed.Heading), 1)
		}},
		{"editor creates an authority", cg.EFORBIDDEN, func() error {
			_, err := store.CreateEntity(ctx, editor, &cg.Authority{ID: "authority:test-w-new", Name: "New"}, nil)
			return err
		}},
		{"viewer creates", cg.EFORBIDDEN, func() error {
			_, err := store.CreateEntity(ctx, viewer, &cg.Team{ID: "team:test-w-viewer", Name: "V"}, nil)
			return err
		}},
		{"anonymous updates", cg.EUNAUTHORIZED, func() error {
			_, err := store.UpdateEntity(ctx, cg.Principal{}, &cg.Team{ID: mineTeam, Name: "Anon"}, 2)
			return err
		}},
		{"anonymous imports", cg.EUNAUTHORIZED, func() error {
			_, err := store.ImportGraph(ctx, cg.Principal{}, &cg.Graph{})
			return err
		}},
		{"editor imports", cg.EFORBIDDEN, func() error {
			_, err := store.ImportGraph(ctx, editor, &cg.Graph{})
			return err
		}},
	}
	for _, tt := range denied {
		t.Run("denied/"+tt.name, func(t *testing.T) {
			defer unchanged(t)()
			wantCode(t, tt.write(), tt.code)
		})
	}
}

// Concurrent updates from the same version: exactly one wins.
func TestNoLostUpdates(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	const id = "service:test-w-race"
	cleanup(t, db, id)
	if _, err := store.CreateEntity(ctx, admin, &cg.Service{ID: id, Name: "Race"}, nil); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, err := store.UpdateEntity(ctx, admin, &cg.Service{ID: id, Name: "Writer " + string(rune('A'+i))}, 1)
			errs <- err
		}()
	}
	won := 0
	for range 4 {
		select {
		case err := <-errs:
			if err == nil {
				won++
			} else if cg.ErrorCode(err) != cg.ECONFLICT {
				t.Errorf("update: %v, want nil or a conflict", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("updates did not finish")
		}
	}
	if won != 1 {
		t.Fatalf("%d updates from version 1 succeeded, want exactly 1", won)
	}
	e, _ := store.FindEntity(ctx, id)
	if v := e.(*cg.Service).Version; v != 2 {
		t.Errorf("version = %d, want 2", v)
	}
}
