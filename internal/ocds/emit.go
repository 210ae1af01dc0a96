package ocds

import (
	"slices"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// emit adds the entities and links of one process to the graph.
func (b *builder) emit(p *process) error {
	authority := b.buyer(p)

	type contract struct {
		id         string
		own, award *stage
		isContract bool
	}
	var contracts []contract
	base := "contract:" + clean(p.ocid)
	if len(p.contIDs)+len(p.awardIDs) == 0 {
		if p.tender == nil {
			return nil // planning only: no contract yet
		}
		contracts = append(contracts, contract{id: base, own: p.tender})
	}
	covered := map[string]bool{}
	for _, cid := range p.contIDs {
		c := p.contracts[cid]
		key := cid
		if c.awardID != "" {
			key, covered[c.awardID] = c.awardID, true
		}
		contracts = append(contracts, contract{id: base + "/" + clean(key), own: c, award: p.awards[c.awardID], isContract: true})
	}
	for _, aid := range p.awardIDs {
		if !covered[aid] {
			contracts = append(contracts, contract{id: base + "/" + clean(aid), own: p.awards[aid]})
		}
	}

	for _, c := range contracts {
		layers := []*stage{c.own}
		if c.award != nil {
			layers = append(layers, c.award)
		}
		if p.tender != nil && p.tender != c.own {
			layers = append(layers, p.tender)
		}
		pick := func(f func(*stage) *string) *string {
			for _, s := range layers {
				if v := f(s); v != nil {
					return v
				}
			}
			return nil
		}
		title := pick(func(s *stage) *string { return s.title })
		if title == nil {
			title = &p.ocid
		}
		k := &cg.Contract{
			ID:                         c.id,
			OCID:                       &p.ocid,
			Title:                      *title,
			Description:                pick(func(s *stage) *string { return s.description }),
			Currency:                   pick(func(s *stage) *string { return s.currency }),
			ProcurementMethodRationale: p.rationale,
			ReleaseDate:                p.released,
		}
		if c.isContract && c.own.status != nil && slices.Contains(cg.ContractStatuses, *c.own.status) {
			k.Status = c.own.status
		}
		if p.method != nil && slices.Contains(cg.ProcurementMethods, *p.method) {
			k.ProcurementMethod = p.method
		}
		if k.Currency != nil {
			upper := strings.ToUpper(*k.Currency)
			k.Currency = &upper
		}
		for _, s := range layers {
			if k.StartDate == nil && k.EndDate == nil && (s.start != nil || s.end != nil) {
				k.StartDate, k.EndDate = s.start, s.end
			}
			if k.Value == nil {
				k.Value = s.value
			}
		}
		src := b.source(c.own.path, p.ocid)
		b.node(k, c.own.path, src)
		if authority != "" {
			b.edge(cg.RelBoughtBy, c.id, authority, src)
		}

		suppliers := c.own.suppliers
		if len(suppliers) == 0 && c.award != nil {
			suppliers = c.award.suppliers
		}
		for _, sp := range suppliers {
			if id := b.provider(p, sp); id != "" {
				b.edge(cg.RelHoldsContract, id, c.id, src)
			}
		}

		for _, s := range layers {
			if s.services {
				b.service(p, c.id, authority, s)
				break
			}
		}
		prior := c.own.prior
		if len(prior) == 0 {
			prior = p.prior
		}
		for _, ocid := range prior {
			path := c.own.path + ".relatedProcesses"
			if len(c.own.prior) == 0 {
				path = p.priorPath
			}
			if ocid != p.ocid {
				b.succession(c.id, ocid, b.source(path, p.ocid))
			}
		}
	}
	return nil
}

// buyer adds the process's buyer as an Authority and returns its id, or ""
// when the release names none.
func (b *builder) buyer(p *process) string {
	if p.buyer == nil {
		return ""
	}
	bp := *p.buyer
	if full, ok := p.parties[bp.id]; ok && bp.id != "" && bp.name == "" {
		bp.name = full.name
	}
	id := partyID("authority", bp.id, bp.name)
	if id == "" {
		return ""
	}
	b.node(&cg.Authority{ID: id, Name: bp.name}, bp.path, b.source(bp.path, p.ocid))
	return id
}

// provider adds a supplier as a Provider and returns its id, or "" when it
// has neither id nor name.
func (b *builder) provider(p *process, sp party) string {
	path := sp.path
	if full, ok := p.parties[sp.id]; ok && sp.id != "" {
		if sp.name == "" {
			sp.name = full.name
		}
		sp.voluntary = sp.voluntary || full.voluntary
		path = full.path
	}
	id := partyID("provider", sp.id, sp.name)
	if id == "" {
		return ""
	}
	pr := &cg.Provider{ID: id, Name: sp.name}
	if old, ok := b.nodes[id]; ok {
		pr.Sector = old.Entity.(*cg.Provider).Sector
	}
	if sp.voluntary {
		voluntary := "VOLUNTARY"
		pr.Sector = &voluntary
	}
	b.node(pr, path, b.source(path, p.ocid))
	return id
}

// service adds the service a contract's items identify, named by the
// tender's title, commissioned by the buyer.
func (b *builder) service(p *process, contract, authority string, s *stage) {
	name := s.title
	if p.tender != nil && p.tender.title != nil {
		name = p.tender.title
	}
	if name == nil {
		name = &p.ocid
	}
	id := "service:" + slug(p.ocid)
	src := b.source(s.path+".items", p.ocid)
	b.node(&cg.Service{ID: id, Name: *name}, s.path+".items", src)
	b.edge(cg.RelForService, contract, id, src)
	if authority != "" {
		b.edge(cg.RelCommissionedBy, id, authority, src)
	}
}

// partyID is the entity id of an OCDS party: keyed on its OCDS id, or on its
// name when it has none; "" when it has no name or nothing to key on.
func partyID(kind, id, name string) string {
	key := id
	if key == "" {
		key = name
	}
	if slug(key) == "" || name == "" {
		return ""
	}
	return kind + ":ocds-" + slug(key)
}
