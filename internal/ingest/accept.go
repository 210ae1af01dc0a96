package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Accept accepts the claims ids and writes what they state, with what the
// document's earlier accepted claims state, as entities and relationships
// that rest on their passages. All claims must be of one document.
func Accept(ctx context.Context, s Store, by cg.Principal, ids []string) (*cg.ImportResult, error) {
	return decide(ctx, s, by, ids, cg.ClaimAccepted)
}

// Reject rejects the claims ids: they stay on their document, marked, and
// never join the graph.
func Reject(ctx context.Context, s Store, by cg.Principal, ids []string) (*cg.ImportResult, error) {
	return decide(ctx, s, by, ids, cg.ClaimRejected)
}

// acceptDocument accepts every proposed claim of a document but the
// proposals to link, which an analyst decides one by one.
func acceptDocument(ctx context.Context, s Store, by cg.Principal, document string) (*cg.ImportResult, error) {
	infos, err := s.DocumentClaims(ctx, document, cg.ClaimProposed)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range infos {
		if c.Claim.Field != linkField {
			ids = append(ids, c.Claim.ID)
		}
	}
	if len(ids) == 0 {
		return &cg.ImportResult{}, nil
	}
	return Accept(ctx, s, by, ids)
}

// MaxClaims bounds the claims one decision takes.
const MaxClaims = 500

func decide(ctx context.Context, s Store, by cg.Principal, ids []string, status string) (*cg.ImportResult, error) {
	if err := by.MayWrite(); err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > MaxClaims {
		return nil, cg.Errorf(cg.EINVALID, "give between 1 and %d claim ids", MaxClaims)
	}
	infos, err := s.FindClaims(ctx, ids)
	if err != nil {
		return nil, err
	}
	doc := infos[0].Document
	for _, c := range infos {
		if c.Document != doc {
			return nil, cg.Errorf(cg.EINVALID, "claims %s and %s are of different documents: decide one document's claims at a time", infos[0].Claim.ID, c.Claim.ID)
		}
		if err := c.Decide(status); err != nil {
			return nil, err
		}
	}
	if status == cg.ClaimAccepted {
		var links []cg.ClaimInfo
		rest := infos[:0:0]
		for _, c := range infos {
			if c.Claim.Field == linkField {
				links = append(links, c)
			} else {
				rest = append(rest, c)
			}
		}
		if len(links) > 0 {
			res, err := acceptLinks(ctx, s, by, links)
			if err != nil || len(rest) == 0 {
				return res, err
			}
			infos = rest
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	g := &cg.Graph{}
	deciding := map[string]bool{}
	for _, c := range infos {
		deciding[c.Claim.ID] = true
		if c.Claim.Status == status {
			continue // decided so already
		}
		claim := *c.Claim
		claim.Status, claim.DecidedBy, claim.DecidedAt = status, &by.Subject, &now
		g.Nodes = append(g.Nodes, cg.Node{Entity: &claim})
	}
	if status == cg.ClaimAccepted {
		all, err := s.DocumentClaims(ctx, doc, "")
		if err != nil {
			return nil, err
		}
		var accepted []cg.ClaimInfo
		for _, c := range all {
			if c.Claim.Status == cg.ClaimAccepted || deciding[c.Claim.ID] {
				accepted = append(accepted, c)
			}
		}
		if err := factsGraph(ctx, s, doc, infos[0].Authority, accepted, g); err != nil {
			return nil, err
		}
	}
	if len(g.Nodes) == 0 {
		return &cg.ImportResult{}, nil
	}
	res, err := s.ApplyGraph(ctx, by, g)
	return &res, err
}

// fact is one accepted claim's value and the passage it rests on.
type fact struct {
	value  any
	source string
	claim  *cg.Claim
}

// object is the accepted facts of one item of the exchange format, such
// as contracts[0], by field.
type object map[string]fact

func (o object) str(field string) string {
	s, _ := o[field].value.(string)
	return strings.TrimSpace(s)
}

func (o object) date(field string) *cg.Date {
	d, err := cg.ParseDate(o.str(field))
	if err != nil {
		return nil
	}
	return &d
}

func (o object) num(field string) *float64 {
	f, ok := o[field].value.(float64)
	if !ok {
		return nil
	}
	return &f
}

// id is the id an analyst gave the item (its field id), else derived.
func (o object) id(derived string) string {
	if id := o.str("id"); id != "" {
		return id
	}
	return derived
}

func (o object) flag(field string) *bool {
	b, ok := o[field].value.(bool)
	if !ok {
		return nil
	}
	return &b
}

// sources are the passages of the object's facts, each once, sorted.
func (o object) sources() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range o {
		if f.source != "" && !seen[f.source] {
			seen[f.source] = true
			out = append(out, f.source)
		}
	}
	sort.Strings(out)
	return out
}

var fieldPath = regexp.MustCompile(`^([a-zA-Z]+)(?:\[(\d+)\])?(?:\.([a-zA-Z]+))?$`)

// facts groups accepted claims by the item they describe: "decision",
// "contracts[0]", "committees[1]" (whose value is under "").
func facts(claims []cg.ClaimInfo) map[string]object {
	out := map[string]object{}
	for _, c := range claims {
		m := fieldPath.FindStringSubmatch(c.Claim.Field)
		if m == nil || c.Claim.Field == linkField {
			continue
		}
		key := m[1]
		if m[2] != "" {
			key += "[" + m[2] + "]"
		}
		var v any
		if err := json.Unmarshal([]byte(c.Claim.Value), &v); err != nil {
			continue
		}
		if out[key] == nil {
			out[key] = object{}
		}
		out[key][m[3]] = fact{value: v, source: c.Passage, claim: c.Claim}
	}
	return out
}

// items returns the objects of a list such as contracts, in index order.
func items(all map[string]object, list string) []object {
	var idx []int
	for k := range all {
		if strings.HasPrefix(k, list+"[") {
			if i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(k, list+"["), "]")); err == nil {
				idx = append(idx, i)
			}
		}
	}
	sort.Ints(idx)
	out := make([]object, len(idx))
	for j, i := range idx {
		out[j] = all[fmt.Sprintf("%s[%d]", list, i)]
	}
	return out
}

// builder adds the entities of accepted facts to a graph, reusing those
// the graph already holds: by id where the id is derived from what
// identifies the entity, else by name (NameKey) within the authority.
type builder struct {
	ctx       context.Context
	s         Store
	g         *cg.Graph
	doc       string // the document's id
	short     string // its short form, for ids of what only it states
	authority string
	title     string // the document's, for what it names no better
	nodes     map[string]bool
	sources   map[string]bool // the passages cited, read at the end in one go
}

func factsGraph(ctx context.Context, s Store, doc, authority string, claims []cg.ClaimInfo, g *cg.Graph) error {
	if authority == "" {
		return cg.Errorf(cg.EINVALID, "document %s has no authority", doc)
	}
	b := &builder{ctx: ctx, s: s, g: g, doc: doc, short: strings.TrimPrefix(doc, "document:")[:12], authority: authority,
		title: doc, nodes: map[string]bool{}, sources: map[string]bool{}}
	if e, err := s.FindEntity(ctx, doc); err == nil {
		b.title = e.(*cg.Document).Title
	}
	for _, n := range g.Nodes {
		b.nodes[n.Entity.EntityID()] = true
	}
	all := facts(claims)
	if err := b.existing(authority); err != nil {
		return err
	}

	var decision string
	if d, ok := all["decision"]; ok {
		decision = d.id("decision:" + b.short)
		dec := &cg.Decision{ID: decision, Title: b.title, Status: opt(d.str("status")), Date: d.date("date"),
			Urgent: d.flag("urgent"), CallInWaived: d.flag("callInWaived"), KeyDecision: d.flag("keyDecision"),
			SubjectToCallIn: d.flag("subjectToCallIn"), Meeting: opt(d.str("meeting"))}
		b.add(dec, d.sources())
		if maker := d.str("maker"); maker != "" {
			post, err := b.post(maker, d.str("makerId"), d["maker"])
			if err != nil {
				return err
			}
			b.link(cg.RelTakenBy, decision, post, d["maker"].source)
		}
	}
	var firstService string
	for i, c := range items(all, "contracts") {
		id, service, err := b.contract(i, c)
		if err != nil {
			return err
		}
		if firstService == "" {
			firstService = service
		}
		if decision != "" {
			b.link(cg.RelAwards, decision, id, c.sources()...)
		}
	}
	for _, p := range items(all, "people") {
		var person, post string
		var err error
		if name := p.str("name"); name != "" {
			person = p.id("person:" + slug(name))
			b.add(&cg.Person{ID: person, Name: name}, []string{p["name"].source})
		}
		if label := p.str("post"); label != "" {
			if post, err = b.post(label, p.str("postId"), p["post"]); err != nil {
				return err
			}
		}
		if person != "" && post != "" {
			b.link(cg.RelHoldsPost, person, post, p.sources()...)
		}
	}
	for _, c := range items(all, "committees") {
		if name := c.str(""); name != "" {
			id, err := b.named(cg.LabelCommittee, "name", name, "committee:"+b.authSlug()+"-"+slug(name), c.str("id"),
				func(id string) cg.Entity { return &cg.Committee{ID: id, Name: name} }, c[""])
			if err != nil {
				return err
			}
			b.link(cg.RelPartOf, id, b.authority, c[""].source)
		}
	}
	for i, m := range items(all, "metrics") {
		v := m.num("value")
		if v == nil {
			continue
		}
		kind := metricKind(m.str("kind"))
		if kind == "" {
			continue // a count of something the graph has no kind for
		}
		id := m.id(fmt.Sprintf("metric:%s-%d", b.short, i))
		b.add(&cg.Metric{ID: id, Kind: kind, Value: v}, m.sources())
		if firstService != "" {
			b.link(cg.RelMeasures, id, firstService, m.sources()...)
		}
	}
	for i, in := range items(all, "inspections") {
		inspectorate := in.str("inspectorate")
		if inspectorate == "" {
			continue
		}
		id := in.id(fmt.Sprintf("inspection:%s-%d", b.short, i))
		insp := &cg.Inspection{ID: id, Inspectorate: inspectorate, Kind: "AS_REPORTED"}
		if f := in.str("finding"); f != "" {
			insp.Findings = []string{f}
		}
		b.add(insp, in.sources())
		b.link(cg.RelInspected, id, b.authority, in.sources()...)
	}
	for i, r := range items(all, "reviews") {
		if t := r.str(""); t != "" {
			id := r.id(fmt.Sprintf("review:%s-%d", b.short, i))
			b.add(&cg.Review{ID: id, Title: t}, r.sources())
			if firstService != "" {
				b.link(cg.RelReviews, id, firstService, r.sources()...)
			}
		}
	}
	if err := b.state(claims); err != nil {
		return err
	}
	return b.readSources()
}

// contract adds contracts[i] with its provider and service, and returns
// the contract's id and the service's. A contract the graph holds already
// (from procurement data: the same provider and buyer, the same dates) is
// linked to rather than made again.
func (b *builder) contract(i int, c object) (id, service string, err error) {
	var provider string
	if name := c.str("provider"); name != "" {
		provider, err = b.named(cg.LabelProvider, "name", name, "provider:"+slug(name), c.str("providerId"),
			func(id string) cg.Entity { return &cg.Provider{ID: id, Name: name} }, c["provider"])
		if err != nil {
			return "", "", err
		}
	}
	if name := c.str("service"); name != "" {
		service, err = b.named(cg.LabelService, "name", name, "service:"+b.authSlug()+"-"+slug(name), c.str("serviceId"),
			func(id string) cg.Entity { return &cg.Service{ID: id, Name: name} }, c["service"])
		if err != nil {
			return "", "", err
		}
		b.link(cg.RelCommissionedBy, service, b.authority, c["service"].source)
	}
	start, end := c.date("startDate"), c.date("endDate")
	var months *int
	if n := c.num("durationMonths"); n != nil {
		m := int(*n)
		months = &m
	}
	title := c.str("service")
	if title == "" {
		title = b.title
	}
	named := c.str("id")
	con := &cg.Contract{ID: c.id(fmt.Sprintf("contract:%s-%d", b.short, i)), Title: title, StartDate: start, EndDate: end,
		DurationMonths: months, Value: c.num("value"), Currency: opt(c.str("currency"))}
	if route := c.str("procurementRoute"); route != "" {
		con.ProcurementMethod = procurementMethod(route)
		con.ProcurementMethodRationale = &route
	}
	if provider != "" && start != nil && end != nil && named == "" {
		if known, err := b.knownContract(provider, start, end); err != nil {
			return "", "", err
		} else if known != nil {
			con = known // procurement data holds it: link to it as it is
		}
	}
	b.add(con, c.sources())
	if provider != "" {
		b.link(cg.RelHoldsContract, provider, con.ID, c["provider"].source)
	}
	if service != "" {
		b.link(cg.RelForService, con.ID, service, c["service"].source)
	}
	b.link(cg.RelBoughtBy, con.ID, b.authority, c.sources()...)
	if prior := c.str("predecessorId"); prior != "" {
		b.predecessor(con, prior, service, c)
	}
	return con.ID, service, nil
}

// predecessor adds the contract con follows, when an analyst has named it
// (contracts[i].predecessorId): with the end date the document gives it,
// bought by the same authority for the same service. A rule's end date
// alone makes no contract: it may be another's.
func (b *builder) predecessor(con *cg.Contract, id, service string, c object) {
	src := c["predecessorEndDate"].source
	if e := b.inWrite(id); e == nil {
		prior := &cg.Contract{ID: id, Title: "The contract before " + con.Title, EndDate: c.date("predecessorEndDate")}
		if found, err := b.s.FindEntity(b.ctx, id); err == nil {
			if known, ok := found.(*cg.Contract); ok {
				prior = known
				if d := c.date("predecessorEndDate"); d != nil {
					prior.EndDate = d
				}
			}
		}
		b.add(prior, []string{src, c["predecessorId"].source})
	}
	b.link(cg.RelSucceeds, con.ID, id, c["predecessorId"].source)
	b.link(cg.RelBoughtBy, id, b.authority, src)
	if service != "" {
		b.link(cg.RelForService, id, service, src)
	}
}

// knownContract returns the contract of provider bought by the authority
// with exactly these dates, when the graph holds exactly one.
func (b *builder) knownContract(provider string, start, end *cg.Date) (*cg.Contract, error) {
	found, err := b.s.MatchContracts(b.ctx, provider, b.authority, *start, *end)
	if err != nil {
		return nil, err
	}
	var others []*cg.Contract
	for _, c := range found {
		if !strings.HasPrefix(c.ID, "contract:"+b.short) {
			others = append(others, c)
		}
	}
	if len(others) != 1 {
		return nil, nil
	}
	return others[0], nil
}

// post adds the post with this label in the authority (the post given,
// else one of the same name), and returns its id.
func (b *builder) post(label, given string, f fact) (string, error) {
	id, err := b.named(cg.LabelPost, "label", label, "post:"+b.authSlug()+"-"+slug(label), given,
		func(id string) cg.Entity { return &cg.Post{ID: id, Label: label} }, f)
	if err != nil {
		return "", err
	}
	b.link(cg.RelPostIn, id, b.authority, f.source)
	return id, nil
}

// named returns the id of the entity of label l named name (the fact f):
// the id an analyst gave, else the id derived from the name when the
// write or the graph holds it, else the one entity of the same name
// (NameKey) in the authority (anywhere, for the shared providers), else a
// new one made by mk. A new provider whose name is only close to a known
// one's is proposed as a link to it (see doubtful), never merged silently.
func (b *builder) named(l cg.Label, prop, name, id, given string, mk func(string) cg.Entity, f fact) (string, error) {
	if given != "" {
		id = given
	}
	if b.nodes[id] {
		b.cite(id, f.source)
		return id, nil
	}
	if e, err := b.s.FindEntity(b.ctx, id); err == nil {
		if e.EntityLabel() != l {
			return "", cg.Errorf(cg.ECONFLICT, "%s is a %s in the graph, not a %s", id, e.EntityLabel(), l)
		}
		b.add(e, []string{f.source})
		return id, nil
	} else if cg.ErrorCode(err) != cg.ENOTFOUND {
		return "", err
	}
	if given == "" {
		key := cg.NameKey(name)
		if words := strings.Fields(key); len(words) > 0 {
			scope := b.authority
			if l == cg.LabelProvider {
				scope = ""
			}
			cands, err := b.s.FindNamed(b.ctx, l, prop, longest(words), scope)
			if err != nil {
				return "", err
			}
			var same []cg.Entity
			for _, c := range cands {
				if cg.NameKey(nameOf(c, prop)) == key {
					same = append(same, c)
				}
			}
			if len(same) == 1 {
				b.add(same[0], []string{f.source})
				return same[0].EntityID(), nil
			}
			if l == cg.LabelProvider && len(same) == 0 {
				into, err := b.doubtful(l, prop, name, id, f)
				if err != nil || into != "" {
					return into, err
				}
			}
		}
	}
	b.add(mk(id), []string{f.source})
	return id, nil
}

// existing adds an entity the graph holds to the write, unchanged, so that
// links may reach it.
func (b *builder) existing(id string) error {
	if b.nodes[id] {
		return nil
	}
	e, err := b.s.FindEntity(b.ctx, id)
	if err != nil {
		return err
	}
	b.add(e, nil)
	return nil
}

// add puts e in the write, citing sources; an entity added twice gathers
// the sources of both.
func (b *builder) add(e cg.Entity, sources []string) {
	id := e.EntityID()
	if b.nodes[id] {
		for _, s := range sources {
			b.cite(id, s)
		}
		return
	}
	b.nodes[id] = true
	b.g.Nodes = append(b.g.Nodes, cg.Node{Entity: e, SourceIDs: nonEmpty(sources)})
	b.sourcesOf(sources)
}

func (b *builder) cite(id, source string) {
	if source == "" {
		return
	}
	for i := range b.g.Nodes {
		n := &b.g.Nodes[i]
		if n.Entity.EntityID() == id {
			for _, s := range n.SourceIDs {
				if s == source {
					return
				}
			}
			n.SourceIDs = append(n.SourceIDs, source)
			b.sourcesOf([]string{source})
			return
		}
	}
}

func (b *builder) link(t cg.RelType, from, to string, sources ...string) {
	for i := range b.g.Edges {
		e := &b.g.Edges[i]
		if e.Type == t && e.From == from && e.To == to {
			return
		}
	}
	b.g.Edges = append(b.g.Edges, cg.RelationshipBetween{Type: t, From: from, To: to, SourceIDs: nonEmpty(sources)})
	b.sourcesOf(sources)
}

// sourcesOf notes the passages cited; readSources adds them to the write.
func (b *builder) sourcesOf(ids []string) {
	for _, id := range ids {
		if id != "" {
			b.sources[id] = true
		}
	}
}

// readSources adds the passages cited to the write, read in one query:
// they are in the graph already, and a Source written again changes
// nothing.
func (b *builder) readSources() error {
	ids := make([]string, 0, len(b.sources))
	for id := range b.sources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	found, err := b.s.FindEntities(b.ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if src, ok := found[id].(*cg.Source); ok {
			b.g.Sources = append(b.g.Sources, *src)
		}
	}
	return nil
}

func (b *builder) authSlug() string {
	if i := strings.Index(b.authority, ":"); i >= 0 {
		return b.authority[i+1:]
	}
	return b.authority
}

func nameOf(e cg.Entity, prop string) string {
	switch x := e.(type) {
	case *cg.Provider:
		return x.Name
	case *cg.Service:
		if prop == "shortName" && x.ShortName != nil {
			return *x.ShortName
		}
		return x.Name
	case *cg.Committee:
		return x.Name
	case *cg.Post:
		return x.Label
	case *cg.Person:
		return x.Name
	case *cg.Authority:
		return x.Name
	}
	return ""
}

func longest(words []string) string {
	best := words[0]
	for _, w := range words {
		if len(w) > len(best) {
			best = w
		}
	}
	return best
}

func nonEmpty(s []string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// procurementMethod is the OCDS procurement method a route implies, nil
// when it implies none (the route stays the rationale).
func procurementMethod(route string) *cg.ProcurementMethod {
	var m cg.ProcurementMethod
	switch r := strings.ToLower(route); {
	case strings.Contains(r, "open"):
		m = cg.ProcurementOpen
	case strings.Contains(r, "exemption"), strings.Contains(r, "waiver"):
		m = cg.ProcurementLimited
	case strings.Contains(r, "direct"):
		m = cg.ProcurementDirect
	case strings.Contains(r, "framework"):
		m = cg.ProcurementSelective
	default:
		return nil
	}
	return &m
}

// metricKind turns "children supported" into CHILDREN_SUPPORTED; "" when
// the kind is not one the graph knows.
func metricKind(kind string) string {
	k := strings.ToUpper(strings.Join(strings.Fields(kind), "_"))
	for _, known := range cg.MetricKinds {
		if k == known {
			return k
		}
	}
	return ""
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(cg.NameKey(s)), "-"), "-")
}
