package ocds

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// builder accumulates the graph of one file: entities and links keyed by
// id, each with the sources that support it.
type builder struct {
	file, publisher string
	sources         map[string]cg.Source
	nodes           map[string]*cg.Node
	stamps          map[string]string // entity id -> stamp of the release it is read from
	paths           map[string]string // entity id -> JSON path, for problems
	order           []string
	edges           map[[3]string]*cg.RelationshipBetween
	eorder          [][3]string
	succ            map[[2]string]*cg.Succession
	sorder          [][2]string
	named           map[string]string // normalised name in a country -> the org-id the file gives it
}

func newBuilder(file, publisher string) *builder {
	return &builder{file: file, publisher: publisher, sources: map[string]cg.Source{}, nodes: map[string]*cg.Node{},
		stamps: map[string]string{}, paths: map[string]string{}, edges: map[[3]string]*cg.RelationshipBetween{}, succ: map[[2]string]*cg.Succession{}}
}

// sub returns an empty builder for one process, to be absorbed when the
// process has no problems.
func (b *builder) sub() *builder {
	s := newBuilder(b.file, b.publisher)
	s.named = b.named
	return s
}

// identify gives a party that has no org-id the one the file gives a party
// of the same id, or of the same name in the same country (or, for a party
// of no known country, in any), elsewhere.
func (b *builder) identify(pt party) party {
	keys := []string{pt.nameKey()}
	if pt.id != "" {
		keys = append([]string{"id:" + pt.id}, keys...)
	}
	if pt.country == "" {
		keys = append(keys, ":"+normalName(pt.name))
	}
	for _, k := range keys {
		if oid, ok := b.named[k]; ok && pt.orgID == "" {
			pt.orgID = oid
		}
	}
	if pt.country == "" && pt.orgID != "" {
		pt.country = schemeCountry(pt.orgID)
	}
	return pt
}

// absorb adds what a process's builder holds.
func (b *builder) absorb(s *builder) {
	for id, src := range s.sources {
		b.sources[id] = src
	}
	for _, id := range s.order {
		b.node(*s.nodes[id], s.paths[id], s.stamps[id])
	}
	for _, k := range s.eorder {
		for _, sid := range s.edges[k].SourceIDs {
			b.edge(s.edges[k].Type, k[1], k[2], sid)
		}
	}
	for _, k := range s.sorder {
		for _, sid := range s.succ[k].SourceIDs {
			b.succession(k[0], k[1], sid)
		}
	}
}

// source returns the id of the Source for the object at path of a
// release, adding it once. A source is keyed by publisher, ocid, release
// and JSON path, so the same release read from two files is one source,
// and two publishers' files of the same name are not.
func (b *builder) source(path, ocid, release, passage string) string {
	publisher := b.publisher
	if publisher == "" {
		publisher = ocidPrefix(ocid)
	}
	id := SourceID(publisher, ocid, release, path)
	if _, ok := b.sources[id]; !ok {
		file, ref, p := b.file, ocid, path
		doc := "OCDS release " + release + " of " + ocid + ", published by " + publisher
		if release == "" {
			doc = "OCDS data on " + ocid + ", published by " + publisher
		}
		if passage == "" {
			passage = "what " + path + " states"
		}
		b.sources[id] = cg.Source{ID: id, Document: doc, DocumentRef: &ref, File: &file, Path: &p, Passage: passage}
	}
	return id
}

// node adds an entity read from the release stamped st. The entity (and
// its facts) stated by the newest release wins, whatever the order the
// releases were read in; the aliases and sources of every statement are
// kept.
func (b *builder) node(in cg.Node, path, st string) {
	id := in.Entity.EntityID()
	n, ok := b.nodes[id]
	switch {
	case !ok:
		n = &cg.Node{Entity: in.Entity, Facts: in.Facts}
		b.nodes[id] = n
		b.order = append(b.order, id)
		b.stamps[id], b.paths[id] = st, path
	case st >= b.stamps[id]:
		if p, isProvider := in.Entity.(*cg.Provider); isProvider && p.Sector == nil {
			p.Sector = n.Entity.(*cg.Provider).Sector
		}
		n.Entity, n.Facts, b.stamps[id], b.paths[id] = in.Entity, in.Facts, st, path
	default:
		if p, isProvider := n.Entity.(*cg.Provider); isProvider && p.Sector == nil {
			p.Sector = in.Entity.(*cg.Provider).Sector
		}
	}
	n.Aliases = slices.Compact(slices.Sorted(slices.Values(slices.Concat(n.Aliases, in.Aliases))))
	for _, sid := range in.SourceIDs {
		if !slices.Contains(n.SourceIDs, sid) {
			n.SourceIDs = append(n.SourceIDs, sid)
		}
	}
}

func (b *builder) edge(t cg.RelType, from, to, sourceID string) {
	k := [3]string{string(t), from, to}
	e, ok := b.edges[k]
	if !ok {
		e = &cg.RelationshipBetween{Type: t, From: from, To: to}
		b.edges[k] = e
		b.eorder = append(b.eorder, k)
	}
	if !slices.Contains(e.SourceIDs, sourceID) {
		e.SourceIDs = append(e.SourceIDs, sourceID)
	}
}

func (b *builder) succession(contract, prior, sourceID string) {
	k := [2]string{contract, prior}
	s, ok := b.succ[k]
	if !ok {
		s = &cg.Succession{Contract: contract, PriorOCID: prior}
		b.succ[k] = s
		b.sorder = append(b.sorder, k)
	}
	if !slices.Contains(s.SourceIDs, sourceID) {
		s.SourceIDs = append(s.SourceIDs, sourceID)
	}
}

// check validates the entities of a process's builder, recording a problem
// at the JSON path of each bad one.
func (b *builder) check(probs *problems) {
	for _, id := range b.order {
		if err := cg.ValidateEntity(b.nodes[id].Entity); err != nil {
			probs.add(b.paths[id], cg.ErrorMessage(err))
		}
	}
}

// graph returns the graph. Each node's Release is the stamp of the release
// it was read from followed by a digest of what it says (with, for a
// contract, the ends of its links), so that of two statements of one
// entity the store keeps the same one whatever the order they come in.
func (b *builder) graph() *cg.Graph {
	g := &cg.Graph{}
	ends := map[string][]string{}
	for _, k := range b.eorder {
		switch cg.RelType(k[0]) {
		case cg.RelBoughtBy:
			ends[k[1]] = append(ends[k[1]], k[0]+">"+k[2])
		case cg.RelHoldsContract:
			ends[k[2]] = append(ends[k[2]], k[0]+"<"+k[1])
		}
	}
	for _, id := range b.order {
		n := *b.nodes[id]
		body, _ := json.Marshal([]any{n.Entity, n.Facts, n.Aliases})
		h := sha256.New()
		h.Write(body)
		links := ends[id]
		slices.Sort(links)
		for _, l := range links {
			h.Write([]byte("\x00" + l))
		}
		n.Release = b.stamps[id] + "|" + hex.EncodeToString(h.Sum(nil)[:8])
		g.Nodes = append(g.Nodes, n)
	}
	for _, k := range b.eorder {
		g.Edges = append(g.Edges, *b.edges[k])
	}
	for _, k := range b.sorder {
		g.Successions = append(g.Successions, *b.succ[k])
	}
	ids := make([]string, 0, len(b.sources))
	for id := range b.sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		g.Sources = append(g.Sources, b.sources[id])
	}
	return g
}

// SourceID is the id of the Source for the object at a JSON path of a
// release of a process, as a publisher published it.
func SourceID(publisher, ocid, release, path string) string {
	h := sha256.Sum256([]byte(publisher + "\x00" + ocid + "\x00" + release + "\x00" + path))
	return "source:ocds-" + hex.EncodeToString(h[:12])
}

// contract is a contract of a process: its own stage and the award it
// follows.
type contract struct {
	id         string
	own, award *stage
}

// contractsOf decides the contracts of a process: one per award (a
// contract stage joins its award; one whose awardID names no award joins
// the only award there is, or stands for the award it names), or, for a
// process with neither yet, one for its tender.
func contractsOf(p *process) []contract {
	base := "contract:" + clean(p.ocid)
	if len(p.contIDs)+len(p.awardIDs) == 0 {
		if p.tender == nil {
			return nil // planning only: no contract yet
		}
		return []contract{{id: base, own: p.tender}}
	}
	var out []contract
	index := map[string]int{}
	covered := map[string]bool{}
	add := func(key string, own, award *stage) {
		id := base + "/" + clean(key)
		if i, ok := index[id]; ok {
			if own.kind == "contract" {
				out[i].own = own // the newest contract of an award
			}
			return
		}
		index[id] = len(out)
		out = append(out, contract{id: id, own: own, award: award})
	}
	var unmatched []string
	for _, cid := range p.contIDs {
		if c := p.contracts[cid]; p.awards[c.awardID] != nil {
			covered[c.awardID] = true
		} else {
			unmatched = append(unmatched, cid)
		}
	}
	var free []string
	for _, aid := range p.awardIDs {
		if !covered[aid] {
			free = append(free, aid)
		}
	}
	for _, cid := range p.contIDs {
		c := p.contracts[cid]
		key := cid
		switch {
		case p.awards[c.awardID] != nil:
			key = c.awardID
		case len(free) == 1 && len(unmatched) >= 1:
			key = free[0]
			covered[key] = true
		case c.awardID != "":
			key = c.awardID
		}
		add(key, c, p.awards[key])
	}
	for _, aid := range p.awardIDs {
		if !covered[aid] {
			add(aid, p.awards[aid], nil)
		}
	}
	return out
}

// emit adds the entities and links of one process to the graph and checks
// them, recording a problem for each bad one.
func (b *builder) emit(p *process, probs *problems) {
	st := stamp(p.released, p.releaseID)
	authority := b.buyer(p, st)
	for _, c := range contractsOf(p) {
		b.contract(p, c, authority, st)
	}
	b.check(probs)
}

func (b *builder) contract(p *process, c contract, authority, st string) {
	layers := []*stage{c.own}
	if c.award != nil && c.award != c.own {
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
	kind := c.own.kind
	k := &cg.Contract{
		ID:                         c.id,
		OCID:                       &p.ocid,
		Title:                      *title,
		Description:                pick(func(s *stage) *string { return s.description }),
		Currency:                   pick(func(s *stage) *string { return s.currency }),
		ProcurementMethodRationale: p.rationale,
		ReleaseDate:                p.released,
	}
	facts := map[string]string{"stage": kind}
	if c.own.status != nil {
		status := contractStatus(kind, *c.own.status)
		published := kind + ": " + *c.own.status
		k.Status, k.OCDSStatus = &status, &published
	}
	if p.method != nil {
		m, ok := cg.ParseCode(*p.method, cg.ProcurementMethodValues)
		if !ok || m == cg.ProcurementOther {
			m, k.OCDSProcurementMethod = cg.ProcurementOther, p.method
		}
		k.ProcurementMethod = &m
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
	src := b.source(c.own.path, p.ocid, c.own.release, stageWords(c.own, k))
	b.node(cg.Node{Entity: k, Facts: facts, SourceIDs: []string{src}}, c.own.path, st)
	if authority != "" {
		b.edge(cg.RelBoughtBy, c.id, authority, src)
	}

	suppliers := c.own.suppliers
	if len(suppliers) == 0 && c.award != nil {
		suppliers = c.award.suppliers
	}
	if len(suppliers) == 0 && c.own.kind != "tender" && len(contractsOf(p)) == 1 {
		suppliers = p.withRole("supplier")
	}
	for _, sp := range suppliers {
		if id := b.provider(p, sp, st); id != "" {
			b.edge(cg.RelHoldsContract, id, c.id, src)
		}
	}

	for _, s := range layers {
		if s.services {
			b.service(p, c.id, authority, s, st)
			break
		}
	}
	prior, path, rel := c.own.prior, c.own.path+".relatedProcesses", c.own.release
	if len(prior) == 0 {
		prior, path, rel = p.prior, p.priorPath, p.priorRelease
	}
	for _, ocid := range prior {
		if ocid != p.ocid {
			b.succession(c.id, ocid, b.source(path, p.ocid, rel, "follows the procurement process "+ocid))
		}
	}
}

// contractStatus maps the status of a stage to the OCDS contract status
// codelist, ignoring case and spacing: an award made is a contract
// pending, a tender or award that came to nothing (cancelled, unsuccessful,
// withdrawn) a contract cancelled. A status it cannot map is other (and
// ocdsStatus keeps it as published).
func contractStatus(kind, status string) cg.ContractStatus {
	if kind == "contract" {
		if s, ok := cg.ParseCode(status, cg.ContractStatusValues); ok {
			return s
		}
		return cg.ContractStatusOther
	}
	for word, s := range stageStatuses[kind] {
		if _, ok := cg.ParseCode(status, []string{word}); ok {
			return s
		}
	}
	return cg.ContractStatusOther
}

// stageStatuses are the contract statuses that the OCDS award and tender
// statuses stand for.
var stageStatuses = map[string]map[string]cg.ContractStatus{
	"award": {"pending": cg.ContractPending, "active": cg.ContractPending,
		"cancelled": cg.ContractCancelled, "unsuccessful": cg.ContractCancelled},
	"tender": {"planning": cg.ContractPending, "planned": cg.ContractPending, "active": cg.ContractPending,
		"cancelled": cg.ContractCancelled, "unsuccessful": cg.ContractCancelled, "withdrawn": cg.ContractCancelled},
}

// withRole returns the parties of a process with the role.
func (p *process) withRole(role string) []party {
	var out []party
	for _, k := range p.partyOrder {
		if pt := p.parties[k]; slices.Contains(pt.roles, role) {
			out = append(out, pt)
		}
	}
	return out
}

// full returns the party as the process's parties describe it.
func (p *process) full(pt party) party {
	if pt.id != "" {
		if f, ok := p.parties[pt.id]; ok {
			out := f.update(pt)
			out.path, out.release = f.path, f.release
			return out
		}
	}
	return pt
}

// buyer adds the process's buyer as an Authority and returns its id, or ""
// when the releases name none. The buyer is the buyer block, else the
// party with the role buyer, else the procuring entity.
func (b *builder) buyer(p *process, st string) string {
	var bp party
	switch {
	case p.buyer != nil:
		bp = p.full(*p.buyer)
	case len(p.withRole("buyer")) > 0:
		bp = p.withRole("buyer")[0]
	case p.procuring != nil:
		bp = p.full(*p.procuring)
	case len(p.withRole("procuringEntity")) > 0:
		bp = p.withRole("procuringEntity")[0]
	default:
		return ""
	}
	bp = b.identify(bp)
	key := bp.orgKey()
	if key == "" || bp.name == "" {
		return ""
	}
	id := "authority:ocds-" + key
	src := b.source(bp.path, p.ocid, bp.release, partyWords(bp, "buyer"))
	b.node(cg.Node{Entity: &cg.Authority{ID: id, Name: bp.name}, Aliases: bp.aliases(p.ocid), Facts: bp.facts(),
		SourceIDs: []string{src}}, bp.path, st)
	return id
}

// provider adds a supplier as a Provider and returns its id, or "" when it
// has no name.
func (b *builder) provider(p *process, sp party, st string) string {
	sp = b.identify(p.full(sp))
	key := sp.orgKey()
	if key == "" || sp.name == "" {
		return ""
	}
	id := "provider:ocds-" + key
	pr := &cg.Provider{ID: id, Name: sp.name}
	if sp.voluntary {
		voluntary := cg.SectorVoluntary
		pr.Sector = &voluntary
	}
	src := b.source(sp.path, p.ocid, sp.release, partyWords(sp, "supplier"))
	b.node(cg.Node{Entity: pr, Aliases: sp.aliases(p.ocid), Facts: sp.facts(), SourceIDs: []string{src}}, sp.path, st)
	return id
}

// service adds the service a contract's items identify, named by the
// tender's title, commissioned by the buyer.
func (b *builder) service(p *process, contract, authority string, s *stage, st string) {
	name := s.title
	if p.tender != nil && p.tender.title != nil {
		name = p.tender.title
	}
	if name == nil {
		name = &p.ocid
	}
	id := "service:" + slug(p.ocid)
	words := "items: " + strings.Join(s.itemWords, "; ")
	if len(s.itemWords) == 0 {
		words = "items classified as services to residents"
	}
	src := b.source(s.path+".items", p.ocid, s.release, words)
	b.node(cg.Node{Entity: &cg.Service{ID: id, Name: *name}, SourceIDs: []string{src}}, s.path+".items", st)
	b.edge(cg.RelForService, contract, id, src)
	if authority != "" {
		b.edge(cg.RelCommissionedBy, id, authority, src)
	}
}

// stageWords says in words what a tender, award or contract states.
func stageWords(s *stage, k *cg.Contract) string {
	var parts []string
	head := s.kind
	if s.title != nil {
		head += " " + quoteWords(*s.title)
	}
	parts = append(parts, head)
	if s.description != nil {
		parts = append(parts, quoteWords(*s.description))
	}
	if s.status != nil {
		parts = append(parts, "status "+*s.status)
	}
	if s.value != nil {
		v := fmt.Sprintf("value %s", trimFloat(*s.value))
		if s.currency != nil {
			v += " " + *s.currency
		}
		parts = append(parts, v)
	}
	if s.start != nil || s.end != nil {
		period := "period"
		if s.start != nil {
			period += " from " + s.start.String()
		}
		if s.end != nil {
			period += " to " + s.end.String()
		}
		parts = append(parts, period)
	}
	if len(s.suppliers) > 0 {
		var names []string
		for _, sp := range s.suppliers {
			if sp.name != "" {
				names = append(names, sp.name)
			}
		}
		if len(names) > 0 {
			parts = append(parts, "suppliers "+strings.Join(names, ", "))
		}
	}
	if k.ProcurementMethod != nil && s.kind == "tender" {
		method := string(*k.ProcurementMethod)
		if k.OCDSProcurementMethod != nil {
			method = *k.OCDSProcurementMethod
		}
		parts = append(parts, "procurement method "+method)
	}
	return strings.Join(parts, "; ")
}

// partyWords says in words what a release states of a party.
func partyWords(pt party, role string) string {
	w := role + " " + pt.name
	if pt.orgID != "" {
		w += " (" + pt.orgID + ")"
	}
	if len(pt.roles) > 0 {
		w += "; roles " + strings.Join(pt.roles, ", ")
	}
	return w
}

func quoteWords(s string) string {
	const max = 300
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return "“" + s + "”"
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}
