package ocds

import (
	"slices"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// builder accumulates the graph of one file: entities and links keyed by
// id, each with the sources that support it.
type builder struct {
	file    string
	sources map[string]cg.Source
	nodes   map[string]*cg.Node
	paths   map[string]string // entity id -> JSON path, for errors
	order   []string
	edges   map[[3]string]*cg.Edge
	eorder  [][3]string
	succ    map[[2]string]*cg.Succession
	sorder  [][2]string
}

func newBuilder(file string) *builder {
	return &builder{file: file, sources: map[string]cg.Source{}, nodes: map[string]*cg.Node{},
		paths: map[string]string{}, edges: map[[3]string]*cg.Edge{}, succ: map[[2]string]*cg.Succession{}}
}

// source returns the id of the Source for a JSON path, adding it once.
func (b *builder) source(path, ocid string) string {
	id := SourceID(b.file, path)
	if _, ok := b.sources[id]; !ok {
		file, ref := b.file, ocid
		b.sources[id] = cg.Source{ID: id, Document: Document(b.file), DocumentRef: &ref, File: &file, Passage: path}
	}
	return id
}

// node adds an entity, or replaces an earlier one with the same id (a newer
// release says it again), keeping the sources of both.
func (b *builder) node(e cg.Entity, path, sourceID string) {
	id := e.EntityID()
	n, ok := b.nodes[id]
	if !ok {
		n = &cg.Node{}
		b.nodes[id] = n
		b.order = append(b.order, id)
	}
	n.Entity = e
	b.paths[id] = path
	if !slices.Contains(n.SourceIDs, sourceID) {
		n.SourceIDs = append(n.SourceIDs, sourceID)
	}
}

func (b *builder) edge(t cg.RelType, from, to, sourceID string) {
	k := [3]string{string(t), from, to}
	e, ok := b.edges[k]
	if !ok {
		e = &cg.Edge{Type: t, From: from, To: to}
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

// graph checks every entity, naming the JSON path of a bad one, and
// returns the graph.
func (b *builder) graph() (*cg.Graph, error) {
	g := &cg.Graph{}
	for _, id := range b.order {
		if err := cg.ValidateEntity(b.nodes[id].Entity); err != nil {
			return nil, failf(b.file, b.paths[id], "%s", cg.ErrorMessage(err))
		}
		g.Nodes = append(g.Nodes, *b.nodes[id])
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
	return g, nil
}

// stage is what one OCDS stage (tender, award or contract) says about a
// contract; a later release overrides what it states.
type stage struct {
	title, description, status *string
	start, end                 *cg.Date
	value                      *float64
	currency                   *string
	services                   bool // its items identify a service
	path                       string
	awardID                    string
	suppliers                  []party
	prior                      []string // ocids of processes this one follows
}

type party struct {
	id, name  string
	voluntary bool
	path      string
}

// process is what the releases of one ocid say, newest last.
type process struct {
	ocid               string
	buyer              *party
	method, rationale  *string
	tender             *stage
	awards, contracts  map[string]*stage
	awardIDs, contIDs  []string
	parties            map[string]party
	prior              []string
	priorPath, srvPath string
	serviceName        *string
	released           *time.Time // the date of the newest release
}

// process maps the releases of one ocid.
func (b *builder) process(releases []object) error {
	p := &process{awards: map[string]*stage{}, contracts: map[string]*stage{}, parties: map[string]party{}}
	for _, r := range releases {
		if err := p.read(r); err != nil {
			return err
		}
	}
	return b.emit(p)
}

func (p *process) read(r object) error {
	ocid, err := r.text("ocid")
	if err != nil {
		return err
	}
	if ocid == nil {
		return r.fail("ocid", "missing: every release needs an ocid")
	}
	p.ocid = *ocid
	if t, err := r.instant("date"); err != nil {
		return err
	} else if t != nil && (p.released == nil || t.After(*p.released)) {
		p.released = t
	}
	parties, err := r.objects("parties")
	if err != nil {
		return err
	}
	for _, o := range parties {
		pt, err := readParty(o)
		if err != nil {
			return err
		}
		if old, ok := p.parties[pt.id]; ok && pt.name == "" {
			pt.name = old.name
		}
		p.parties[pt.id] = pt
	}
	if buyer, err := r.obj("buyer"); err != nil {
		return err
	} else if buyer != nil {
		pt, err := readParty(*buyer)
		if err != nil {
			return err
		}
		p.buyer = &pt
	}
	if t, err := r.obj("tender"); err != nil {
		return err
	} else if t != nil {
		if p.tender, err = readStage(*t, p.tender, "contractPeriod"); err != nil {
			return err
		}
		if m, err := t.text("procurementMethod"); err != nil {
			return err
		} else if m != nil {
			p.method = m
		}
		if m, err := t.text("procurementMethodRationale"); err != nil {
			return err
		} else if m != nil {
			p.rationale = m
		}
	}
	if err := readStages(r, "awards", "contractPeriod", p.awards, &p.awardIDs); err != nil {
		return err
	}
	if err := readStages(r, "contracts", "period", p.contracts, &p.contIDs); err != nil {
		return err
	}
	prior, err := priorProcesses(r)
	if err != nil {
		return err
	}
	if len(prior) > 0 {
		p.prior, p.priorPath = prior, r.at("relatedProcesses")
	}
	return nil
}

func readStages(r object, key, periodKey string, into map[string]*stage, order *[]string) error {
	items, err := r.objects(key)
	if err != nil {
		return err
	}
	for _, o := range items {
		id, err := o.id("id")
		if err != nil {
			return err
		}
		if id == "" {
			return o.fail("id", "missing: every %s entry needs an id", key)
		}
		if _, ok := into[id]; !ok {
			*order = append(*order, id)
		}
		s, err := readStage(o, into[id], periodKey)
		if err != nil {
			return err
		}
		into[id] = s
	}
	return nil
}

// readStage reads a tender, award or contract over what earlier releases
// said of it.
func readStage(o object, old *stage, periodKey string) (*stage, error) {
	s := &stage{}
	if old != nil {
		*s = *old
	}
	s.path = o.path
	var err error
	set := func(dst **string, v *string) {
		if v != nil {
			*dst = v
		}
	}
	var v *string
	if v, err = o.firstText("title", "title_en"); err != nil {
		return nil, err
	}
	set(&s.title, v)
	if v, err = o.firstText("description", "description_en"); err != nil {
		return nil, err
	}
	set(&s.description, v)
	if v, err = o.text("status"); err != nil {
		return nil, err
	}
	set(&s.status, v)
	if id, err := o.id("awardID"); err != nil {
		return nil, err
	} else if id != "" {
		s.awardID = id
	}
	if period, err := o.obj(periodKey); err != nil {
		return nil, err
	} else if period != nil {
		if d, err := period.date("startDate"); err != nil {
			return nil, err
		} else if d != nil {
			s.start = d
		}
		if d, err := period.date("endDate"); err != nil {
			return nil, err
		} else if d != nil {
			s.end = d
		}
	}
	if value, err := o.obj("value"); err != nil {
		return nil, err
	} else if value != nil {
		if n, err := value.number("amount"); err != nil {
			return nil, err
		} else if n != nil {
			s.value = n
		}
		if c, err := value.text("currency"); err != nil {
			return nil, err
		} else if c != nil {
			s.currency = c
		}
	}
	items, err := o.objects("items")
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		ok, err := identifiesService(it)
		if err != nil {
			return nil, err
		}
		s.services = s.services || ok
	}
	suppliers, err := o.objects("suppliers")
	if err != nil {
		return nil, err
	}
	if len(suppliers) > 0 {
		s.suppliers = nil
		for _, sp := range suppliers {
			pt, err := readParty(sp)
			if err != nil {
				return nil, err
			}
			s.suppliers = append(s.suppliers, pt)
		}
	}
	prior, err := priorProcesses(o)
	if err != nil {
		return nil, err
	}
	if len(prior) > 0 {
		s.prior = prior
	}
	return s, nil
}

// serviceDivisions are the CPV divisions of services that councils
// commission for residents: education and training (80), health and social
// work (85), and other community, social and personal services (98).
var serviceDivisions = []string{"80", "85", "98"}

// identifiesService reports whether an item is classified as a service to
// residents.
func identifiesService(item object) (bool, error) {
	cls, err := item.obj("classification")
	if err != nil || cls == nil {
		return false, err
	}
	scheme, err := cls.text("scheme")
	if err != nil {
		return false, err
	}
	id, err := cls.id("id")
	if err != nil {
		return false, err
	}
	if scheme == nil || !strings.EqualFold(*scheme, "CPV") || len(id) < 2 {
		return false, nil
	}
	return slices.Contains(serviceDivisions, id[:2]), nil
}

// priorProcesses returns the ocids of the processes o's relatedProcesses
// say it follows (prior, renewalProcess, replacementProcess).
func priorProcesses(o object) ([]string, error) {
	related, err := o.objects("relatedProcesses")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rp := range related {
		rels, err := rp.strings("relationship")
		if err != nil {
			return nil, err
		}
		scheme, err := rp.text("scheme")
		if err != nil {
			return nil, err
		}
		ident, err := rp.id("identifier")
		if err != nil {
			return nil, err
		}
		follows := slices.Contains(rels, "prior") || slices.Contains(rels, "renewalProcess") || slices.Contains(rels, "replacementProcess")
		if follows && ident != "" && (scheme == nil || *scheme == "ocid") {
			out = append(out, ident)
		}
	}
	return out, nil
}

// voluntarySchemes are identifier schemes of charity registers.
var voluntarySchemes = []string{"GB-CHC", "GB-SC", "GB-NIC"}

func readParty(o object) (party, error) {
	pt := party{path: o.path}
	var err error
	if pt.id, err = o.id("id"); err != nil {
		return pt, err
	}
	name, err := o.firstText("name", "name_en")
	if err != nil {
		return pt, err
	}
	if name != nil {
		pt.name = *name
	}
	if ident, err := o.obj("identifier"); err != nil {
		return pt, err
	} else if ident != nil {
		scheme, err := ident.text("scheme")
		if err != nil {
			return pt, err
		}
		pt.voluntary = scheme != nil && slices.Contains(voluntarySchemes, *scheme)
	}
	details, err := o.obj("details")
	if err != nil || details == nil {
		return pt, err
	}
	scale, err := details.text("scale")
	if err != nil {
		return pt, err
	}
	if scale != nil && isVoluntary(*scale) {
		pt.voluntary = true
	}
	classes, err := details.objects("classifications")
	if err != nil {
		return pt, err
	}
	for _, c := range classes {
		d, err := c.firstText("description", "id")
		if err != nil {
			return pt, err
		}
		if d != nil && isVoluntary(*d) {
			pt.voluntary = true
		}
	}
	return pt, nil
}

func isVoluntary(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"voluntary", "charity", "vcse", "vcs", "not-for-profit", "non-profit"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
