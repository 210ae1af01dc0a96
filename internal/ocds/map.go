package ocds

import (
	"slices"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// stage is what one OCDS stage (tender, award or contract) says about a
// contract; a later release overrides what it states.
type stage struct {
	kind                       string // tender, award or contract
	title, description, status *string
	start, end                 *cg.Date
	value                      *float64
	currency                   *string
	services                   bool     // its items identify a service
	itemWords                  []string // what its items are, for the passage
	path, release              string   // where a release last stated it
	awardID                    string
	suppliers                  []party
	prior                      []string // ocids of processes this one follows
}

// process is what the releases of one ocid say, newest last.
type process struct {
	ocid              string
	buyer, procuring  *party
	method, rationale *string
	tender            *stage
	awards, contracts map[string]*stage
	awardIDs, contIDs []string
	parties           map[string]party
	partyOrder        []string
	prior             []string
	priorPath         string
	priorRelease      string
	released          *time.Time // the date of the newest release
	releaseID         string     // the id of the newest release
}

// process reads the releases of one process, recording its problems in
// probs, and maps it.
func (b *builder) process(g group, probs *problems) {
	p := &process{ocid: g.ocid, awards: map[string]*stage{}, contracts: map[string]*stage{}, parties: map[string]party{}}
	for _, r := range g.releases {
		p.read(r)
	}
	if len(probs.list) > 0 {
		return
	}
	b.emit(p, probs)
}

func (p *process) read(r object) {
	ocid := r.text("ocid")
	if ocid == nil {
		if !r.has("ocid") {
			r.bad("ocid", "missing: every release needs an ocid")
		}
		return
	}
	rid := r.id("id")
	if t := r.instant("date"); t != nil || p.released == nil {
		if t != nil {
			p.released = t
		}
		p.releaseID = rid
	}
	for _, o := range r.objects("parties") {
		pt := readParty(o, rid)
		key := pt.id
		if key == "" {
			key = "name:" + pt.name
		}
		if old, ok := p.parties[key]; ok {
			pt = old.update(pt)
		} else {
			p.partyOrder = append(p.partyOrder, key)
		}
		p.parties[key] = pt
	}
	if buyer := r.obj("buyer"); buyer != nil {
		pt := readParty(*buyer, rid)
		p.buyer = &pt
	}
	if t := r.obj("tender"); t != nil {
		p.tender = readStage(*t, p.tender, "tender", "contractPeriod", rid)
		if m := t.text("procurementMethod"); m != nil {
			p.method = m
		}
		if m := t.text("procurementMethodRationale"); m != nil {
			p.rationale = m
		}
		if pe := t.obj("procuringEntity"); pe != nil {
			pt := readParty(*pe, rid)
			p.procuring = &pt
		}
	}
	readStages(r, "awards", "contractPeriod", p.awards, &p.awardIDs, rid)
	readStages(r, "contracts", "period", p.contracts, &p.contIDs, rid)
	if prior := priorProcesses(r); len(prior) > 0 {
		p.prior, p.priorPath, p.priorRelease = prior, r.at("relatedProcesses"), rid
	}
}

func readStages(r object, key, periodKey string, into map[string]*stage, order *[]string, rid string) {
	kind := strings.TrimSuffix(key, "s")
	for _, o := range r.objects(key) {
		id := o.id("id")
		if id == "" {
			o.bad("id", "missing: every %s entry needs an id", kind)
			continue
		}
		if _, ok := into[id]; !ok {
			*order = append(*order, id)
		}
		into[id] = readStage(o, into[id], kind, periodKey, rid)
	}
}

// readStage reads a tender, award or contract over what earlier releases
// said of it.
func readStage(o object, old *stage, kind, periodKey, rid string) *stage {
	s := &stage{kind: kind}
	if old != nil {
		*s = *old
	}
	s.path, s.release = o.path, rid
	set := func(dst **string, v *string) {
		if v != nil {
			*dst = v
		}
	}
	set(&s.title, o.firstText("title", "title_en"))
	set(&s.description, o.firstText("description", "description_en"))
	set(&s.status, o.text("status"))
	if id := o.id("awardID"); id != "" {
		s.awardID = id
	}
	if period := o.obj(periodKey); period != nil {
		if d := period.date("startDate"); d != nil {
			s.start = d
		}
		if d := period.date("endDate"); d != nil {
			s.end = d
		}
	}
	if value := o.obj("value"); value != nil {
		if n := value.number("amount"); n != nil {
			s.value = n
		}
		set(&s.currency, value.text("currency"))
	}
	if items := o.objects("items"); len(items) > 0 {
		s.itemWords = nil
		for _, it := range items {
			s.services = s.services || identifiesService(it)
			if d := it.firstText("description", "description_en"); d != nil && !slices.Contains(s.itemWords, *d) {
				s.itemWords = append(s.itemWords, *d)
			}
		}
	}
	// Suppliers belong to awards in OCDS 1.1; some publishers put them on
	// contracts too, in shapes of their own, read when they are a list.
	src := o
	if kind != "award" {
		src = o.loose()
	}
	if suppliers := src.objects("suppliers"); len(suppliers) > 0 {
		s.suppliers = nil
		for _, sp := range suppliers {
			s.suppliers = append(s.suppliers, readParty(sp, rid))
		}
	}
	if prior := priorProcesses(o); len(prior) > 0 {
		s.prior = prior
	}
	return s
}

// serviceClasses are, per classification scheme, the code prefixes of
// services that councils commission for residents. CPV (and Ukraine's
// DK021, which is CPV): education and training (80), health and social
// work (85), other community, social and personal services (98). UNSPSC:
// healthcare (85), education and training (86), community and social
// services (9314). GSIN (Canada): social (G), medical (Q), education and
// training (U) services.
var serviceClasses = map[string][]string{
	"CPV":    {"80", "85", "98"},
	"DK021":  {"80", "85", "98"},
	"ДК021":  {"80", "85", "98"},
	"UNSPSC": {"85", "86", "9314"},
	"GSIN":   {"G", "Q", "U"},
}

// identifiesService reports whether an item is classified, by its
// classification or an additional one, as a service to residents.
func identifiesService(item object) bool {
	classes := item.objects("additionalClassifications")
	if c := item.obj("classification"); c != nil {
		classes = append([]object{*c}, classes...)
	}
	for _, c := range classes {
		scheme, id := c.text("scheme"), strings.ToUpper(strings.TrimSpace(c.id("id")))
		if scheme == nil || id == "" {
			continue
		}
		for _, prefix := range serviceClasses[strings.ToUpper(strings.ReplaceAll(*scheme, " ", ""))] {
			if strings.HasPrefix(id, prefix) && (len(prefix) > 1 || len(id) > 1 && id[1] >= '0' && id[1] <= '9') {
				return true
			}
		}
	}
	return false
}

// priorProcesses returns the ocids of the processes o's relatedProcesses
// say it follows (prior, renewalProcess, replacementProcess).
func priorProcesses(o object) []string {
	var out []string
	for _, rp := range o.objects("relatedProcesses") {
		rels := rp.strings("relationship")
		scheme := rp.text("scheme")
		ident := rp.id("identifier")
		follows := slices.Contains(rels, "prior") || slices.Contains(rels, "renewalProcess") || slices.Contains(rels, "replacementProcess")
		if follows && ident != "" && (scheme == nil || *scheme == "ocid") {
			out = append(out, ident)
		}
	}
	return out
}
