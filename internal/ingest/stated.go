package ingest

import (
	"bytes"
	"encoding/json"
	"sort"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// statedEntity is what accepted claims Label(id).prop say of one entity.
type statedEntity struct {
	label   cg.Label
	props   []statedProp
	sources []string
}

type statedProp struct {
	name  string
	value json.RawMessage
}

// statedLink is a relationship an accepted claim TYPE(from,to) states.
type statedLink struct {
	t        cg.RelType
	from, to string
	source   string
}

// stated gathers the accepted claims that name entities and relationships
// outright, in the order of their ids and of the claims.
func stated(claims []cg.ClaimInfo) (map[string]*statedEntity, []string, []statedLink) {
	entities := map[string]*statedEntity{}
	var ids []string
	var links []statedLink
	for _, c := range claims {
		if m := entityPath.FindStringSubmatch(c.Claim.Field); m != nil {
			e := entities[m[2]]
			if e == nil {
				e = &statedEntity{label: cg.Label(m[1])}
				entities[m[2]] = e
				ids = append(ids, m[2])
			}
			if m[3] != "" {
				e.props = append(e.props, statedProp{name: m[3], value: json.RawMessage(c.Claim.Value)})
			}
			if c.Passage != "" {
				e.sources = append(e.sources, c.Passage)
			}
		} else if m := linkPath.FindStringSubmatch(c.Claim.Field); m != nil {
			links = append(links, statedLink{t: cg.RelType(m[1]), from: m[2], to: m[3], source: c.Passage})
		}
	}
	sort.Strings(ids)
	return entities, ids, links
}

// state adds to the write what accepted claims state outright: each
// entity's properties over what the write or the graph holds of it, then
// the relationships between entities of the write or the graph.
func (b *builder) state(claims []cg.ClaimInfo) error {
	entities, ids, links := stated(claims)
	for _, id := range ids {
		se := entities[id]
		e, err := b.entity(se.label, id)
		if err != nil {
			return err
		}
		if err := setProps(e, se.props); err != nil {
			return err
		}
		b.add(e, se.sources)
	}
	for _, l := range links {
		for _, end := range []string{l.from, l.to} {
			if err := b.existing(end); err != nil {
				return err
			}
		}
		b.link(l.t, l.from, l.to, l.source)
	}
	return nil
}

// entity returns the entity id of label l as the write holds it, else as
// the graph does, else a new one.
func (b *builder) entity(l cg.Label, id string) (cg.Entity, error) {
	e := b.inWrite(id)
	if e == nil {
		found, err := b.s.FindEntity(b.ctx, id)
		switch {
		case err == nil:
			e = found
		case cg.ErrorCode(err) != cg.ENOTFOUND:
			return nil, err
		default:
			if e, err = cg.NewEntity(l); err != nil {
				return nil, err
			}
			if err := setProps(e, []statedProp{{name: "id", value: mustJSON(id)}}); err != nil {
				return nil, err
			}
		}
	}
	if e.EntityLabel() != l {
		return nil, cg.Errorf(cg.ECONFLICT, "%s is a %s, not a %s", id, e.EntityLabel(), l)
	}
	return e, nil
}

// inWrite returns the entity of the write with this id, or nil.
func (b *builder) inWrite(id string) cg.Entity {
	if !b.nodes[id] {
		return nil
	}
	for _, n := range b.g.Nodes {
		if n.Entity.EntityID() == id {
			return n.Entity
		}
	}
	return nil
}

// setProps sets properties of e, named as the graph names them, from
// their JSON values: the properties' names are the struct fields' own in
// lower camel case, which JSON matches to them. Dates are not set so
// (the exchange format's fields state them).
func setProps(e cg.Entity, props []statedProp) error {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, p := range props {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(mustJSON(p.name))
		buf.WriteByte(':')
		buf.Write(p.value)
	}
	buf.WriteByte('}')
	if err := json.Unmarshal(buf.Bytes(), e); err != nil {
		return cg.Errorf(cg.EINVALID, "the facts stated of %s %s do not fit its properties", e.EntityLabel(), e.EntityID())
	}
	return nil
}

func mustJSON(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}
