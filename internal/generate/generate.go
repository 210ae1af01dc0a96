// Package generate makes a realistic, synthetic multi-authority
// commissioning graph to compare against and to measure with. The same seed
// always gives the same graph. Every generated node carries synthetic=true
// and cites a Source that says it is synthetic, so it can never be mistaken
// for the facts of a real document.
package generate

import (
	"fmt"
	"math/rand/v2"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// ServiceTypes are the kinds of service generated; every authority has the
// first (CSE support, the minute's service), and some of the others.
var ServiceTypes = []string{"CSE_SUPPORT", "SHORT_BREAKS", "CARERS_SUPPORT", "FAMILY_SUPPORT", "YOUTH_JUSTICE", "DOMESTIC_ABUSE"}

var serviceNames = map[string]string{
	"CSE_SUPPORT":    "Child Sexual Exploitation Support Service",
	"SHORT_BREAKS":   "Short Breaks for Disabled Children",
	"CARERS_SUPPORT": "Young Carers Support Service",
	"FAMILY_SUPPORT": "Early Help Family Support",
	"YOUTH_JUSTICE":  "Youth Justice Prevention Service",
	"DOMESTIC_ABUSE": "Domestic Abuse Support for Children",
}

var models = []struct {
	name   cg.DeliveryModel
	weight int
}{
	{cg.ModelCommissionedVoluntary, 35}, {cg.ModelInHouse, 25}, {cg.ModelCommissionedCommercial, 10},
	{cg.ModelSharedService, 10}, {cg.ModelChildrensTrust, 8}, {cg.ModelHybrid, 12},
}

var (
	placeStarts = []string{"Ash", "Brook", "Castle", "Dun", "Elm", "Fern", "Glen", "Hart", "Ivy", "Kings", "Lang", "Mar", "Nor", "Oak", "Pen", "Red", "Stan", "Thorn", "Wes", "York"}
	placeEnds   = []string{"ford", "ley", "ton", "field", "bury", "wick", "ham", "mouth", "borough", "dale"}
	kinds       = []string{"London Borough", "Metropolitan Borough", "County Council", "City Council", "Unitary Authority"}
	firstNames  = []string{"Alex", "Sam", "Jordan", "Priya", "Tom", "Aisha", "Chris", "Morgan", "Fatima", "Owen", "Grace", "Ravi"}
	lastNames   = []string{"Smith", "Patel", "Jones", "Okafor", "Williams", "Khan", "Brown", "Evans", "Taylor", "Hughes", "Ali", "Wilson"}
	findings    = []string{
		"Services for children at risk of exploitation are effective and well coordinated.",
		"Too few children receive direct support; waiting lists are long.",
		"Multi-agency arrangements are strong but caseloads are high.",
		"The local authority should consider a more wrap-around service.",
		"Return home interviews are not consistently completed.",
	}
	methods = []cg.ProcurementMethod{cg.ProcurementOpen, cg.ProcurementOpen, cg.ProcurementSelective, cg.ProcurementLimited, cg.ProcurementDirect}
)

// Providers is the size of the shared pool of providers per 100 authorities.
const providersPer100 = 40

// Options say what to generate.
type Options struct {
	Seed        int64
	Authorities int
	// Months of monthly caseload observations per service.
	Months int
}

// Batch returns the graph of authorities [from, to) of a generation, with
// the shared providers those authorities use; batches may be written in any
// order and together form the whole generated graph.
func Batch(o Options, from, to int) *cg.Graph {
	g := &gen{o: o, g: &cg.Graph{}, providers: map[int]bool{}}
	for i := from; i < to; i++ {
		g.authority(i)
	}
	return g.g
}

type gen struct {
	o         Options
	g         *cg.Graph
	r         *rand.Rand
	src       string
	providers map[int]bool
	n         int // counter for ids within an authority
}

func (g *gen) id(kind string, a int) string {
	g.n++
	return fmt.Sprintf("%s:syn%d-a%04d-%d", kind, g.o.Seed, a, g.n)
}

func (g *gen) node(e cg.Entity) string {
	g.g.Nodes = append(g.g.Nodes, cg.Node{Entity: e, SourceIDs: []string{g.src}})
	return e.EntityID()
}

func (g *gen) edge(from string, t cg.RelType, to string) {
	g.g.Edges = append(g.g.Edges, cg.RelationshipBetween{Type: t, From: from, To: to, SourceIDs: []string{g.src}})
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) model() cg.DeliveryModel {
	n := g.r.IntN(100)
	for _, m := range models {
		if n < m.weight {
			return m.name
		}
		n -= m.weight
	}
	return cg.ModelHybrid
}

func (g *gen) date(t time.Time) *cg.Date {
	d := cg.DateOf(t)
	return &d
}

func str[T ~string](s T) *T   { return &s }
func num(f float64) *float64  { return &f }
func integer(i int) *int      { return &i }
func boolean(b bool) *bool    { return &b }
func round(f float64) float64 { return float64(int(f/1000)) * 1000 }
func monthEnd(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

// provider adds shared provider p (once per batch) and returns its id.
func (g *gen) provider(p int) string {
	id := fmt.Sprintf("provider:syn%d-p%04d", g.o.Seed, p)
	if g.providers[p] {
		return id
	}
	g.providers[p] = true
	r := rand.New(rand.NewPCG(uint64(g.o.Seed), uint64(1_000_000+p)))
	sector := []cg.ProviderSector{cg.SectorVoluntary, cg.SectorVoluntary, cg.SectorCommercial, cg.SectorPublic}[r.IntN(4)]
	name := fmt.Sprintf("%s%s %s", placeStarts[r.IntN(len(placeStarts))], placeEnds[r.IntN(len(placeEnds))],
		map[cg.ProviderSector]string{cg.SectorVoluntary: "Children's Charity", cg.SectorCommercial: "Care Services Ltd", cg.SectorPublic: "Shared Services Partnership"}[sector])
	src := fmt.Sprintf("source:syn%d-providers", g.o.Seed)
	if !g.providers[-1] {
		g.providers[-1] = true
		g.g.Sources = append(g.g.Sources, cg.Source{ID: src, Document: fmt.Sprintf("Synthetic data generated by cgraph generate (seed %d)", g.o.Seed),
			Passage: "Synthetic provider: generated, not a real organisation.", Synthetic: true})
	}
	g.g.Nodes = append(g.g.Nodes, cg.Node{Entity: &cg.Provider{ID: id, Name: name, Sector: &sector, Synthetic: true}, SourceIDs: []string{src}})
	return id
}

// authority adds one authority and everything it commissions.
func (g *gen) authority(a int) {
	g.r = rand.New(rand.NewPCG(uint64(g.o.Seed), uint64(a)))
	g.n = 0
	g.src = fmt.Sprintf("source:syn%d-a%04d", g.o.Seed, a)
	g.g.Sources = append(g.g.Sources, cg.Source{
		ID: g.src, Document: fmt.Sprintf("Synthetic data generated by cgraph generate (seed %d)", g.o.Seed),
		Passage: fmt.Sprintf("Synthetic authority %d: generated, not a real council.", a), Synthetic: true,
	})

	place := g.pick(placeStarts) + g.pick(placeEnds)
	auth := g.node(&cg.Authority{ID: fmt.Sprintf("authority:syn%d-a%04d", g.o.Seed, a), Name: fmt.Sprintf("%s (synthetic %d)", place, a), Kind: str(g.pick(kinds)), Synthetic: true})
	months := []int{3, 6, 6, 6, 9}[g.r.IntN(5)]
	rule := g.node(&cg.Rule{ID: g.id("rule", a), Name: "Member approval of new contracts", Kind: cg.RuleApprovalBeforeEnd,
		Text: fmt.Sprintf("Any new contract must receive Member approval at least %d months before the existing contract ends.", months), MonthsBeforeEnd: integer(months), Synthetic: true})
	g.edge(auth, cg.RelHasRule, rule)

	dept := g.node(&cg.Department{ID: g.id("department", a), Name: "Children's Services", Synthetic: true})
	g.edge(dept, cg.RelPartOf, auth)
	person := func() string {
		return g.node(&cg.Person{ID: g.id("person", a), Name: g.pick(firstNames) + " " + g.pick(lastNames), Synthetic: true})
	}
	post := func(label, role, in string) string {
		p := g.node(&cg.Post{ID: g.id("post", a), Label: label, Role: str(role), Synthetic: true})
		g.edge(p, cg.RelPostIn, in)
		g.edge(person(), cg.RelHoldsPost, p)
		return p
	}
	holder := post("Portfolio Holder for Children and Families", "executive member", auth)
	director := post("Director of Children's Services", "officer", dept)
	selectCom := g.node(&cg.Committee{ID: g.id("committee", a), Name: "Children and Families Select Committee", Kind: str("select committee"), Synthetic: true})
	g.edge(selectCom, cg.RelPartOf, auth)
	chair := post("Chairman of the Children and Families Select Committee", "chairman", selectCom)
	_ = chair
	subCom := g.node(&cg.Committee{ID: g.id("committee", a), Name: "Contracts Sub-Committee", Kind: str("sub-committee"), Synthetic: true})
	g.edge(subCom, cg.RelPartOf, auth)

	var teams []string
	for _, name := range []string{"Exploitation Team", "Early Help Team", "Disabled Children's Team"}[:1+g.r.IntN(3)] {
		t := g.node(&cg.Team{ID: g.id("team", a), Name: name, Launched: str(fmt.Sprintf("%d-%02d", 2012+g.r.IntN(8), 1+g.r.IntN(12))), Synthetic: true})
		g.edge(t, cg.RelPartOf, auth)
		teams = append(teams, t)
	}

	pool := max(8, (g.o.Authorities*providersPer100)/100)
	base := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	types := append([]string{ServiceTypes[0]}, ServiceTypes[1:][:2+g.r.IntN(len(ServiceTypes)-2)]...)
	var inspected []string
	for _, st := range types {
		model := g.model()
		svc := g.node(&cg.Service{ID: g.id("service", a), Name: serviceNames[st], ServiceType: str(st), DeliveryModel: str(model), Synthetic: true})
		g.edge(svc, cg.RelCommissionedBy, auth)
		if st == ServiceTypes[0] {
			inspected = append(inspected, svc)
		}
		if model != cg.ModelInHouse || g.r.IntN(2) == 0 {
			g.edge(svc, cg.RelIntegratedInto, teams[g.r.IntN(len(teams))])
		}

		children := 10 + g.r.IntN(140)
		for m := 0; m < g.o.Months; m++ {
			at := monthEnd(base.AddDate(0, m, 0))
			drift := children + g.r.IntN(11) - 5
			for _, kind := range []string{cg.MetricChildrenSupported, cg.MetricWaitingList} {
				v := float64(max(0, drift))
				if kind == cg.MetricWaitingList {
					v = float64(g.r.IntN(max(2, children/4)))
				}
				met := g.node(&cg.Metric{ID: g.id("metric", a), Kind: kind, Value: num(v), Unit: str("children"), ObservedAt: g.date(at), Synthetic: true})
				g.edge(met, cg.RelMeasures, svc)
				g.edge(met, cg.RelReportedBy, director)
			}
		}

		if model == cg.ModelInHouse {
			continue
		}
		// A chain of contracts, each following the last.
		prov := g.provider(g.r.IntN(pool))
		start := base.AddDate(0, -g.r.IntN(24), 0)
		var prev *cg.Contract
		for k := 0; k < 1+g.r.IntN(3); k++ {
			length := []int{12, 24, 36}[g.r.IntN(3)]
			end := start.AddDate(0, length, -1)
			method := methods[g.r.IntN(len(methods))]
			c := &cg.Contract{ID: g.id("contract", a), Title: serviceNames[st], Status: str(cg.ContractActive),
				StartDate: g.date(start), EndDate: g.date(end), DurationMonths: integer(length),
				Value: num(round(float64(children) * float64(length) / 12 * (3000 + g.r.Float64()*9000))), Currency: str("GBP"),
				ProcurementMethod: str(method), Synthetic: true}
			if method == cg.ProcurementLimited || method == cg.ProcurementDirect {
				c.ProcurementMethodRationale = str("Exemption to competitive tendering")
			}
			g.node(c)
			g.edge(prov, cg.RelHoldsContract, c.ID)
			g.edge(c.ID, cg.RelForService, svc)
			g.edge(c.ID, cg.RelBoughtBy, auth)
			if prev != nil {
				prev.Status = str(cg.ContractTerminated)
				g.edge(c.ID, cg.RelSucceeds, prev.ID)
				// Approval of this contract, in time or late against the rule.
				deadline := prev.EndDate.MonthsBefore(months).Time()
				decided := deadline.AddDate(0, 0, g.r.IntN(120)-90)
				d := g.node(&cg.Decision{ID: g.id("decision", a), Title: "Award of " + serviceNames[st] + " contract",
					Kind: str("PORTFOLIO_HOLDER"), Status: str("approved"), Date: g.date(decided),
					Urgent: boolean(decided.After(deadline)), Synthetic: true})
				g.edge(d, cg.RelAwards, c.ID)
				g.edge(d, cg.RelTakenBy, holder)
				rep := g.node(&cg.Report{ID: g.id("report", a), Reference: fmt.Sprintf("SYN%d-%04d-%d", g.o.Seed, a, g.n), Synthetic: true})
				g.edge(rep, cg.RelSetsOut, d)
				g.edge(director, cg.RelIntroduced, rep)
				if g.r.IntN(3) == 0 {
					s := g.node(&cg.Scrutiny{ID: g.id("scrutiny", a), Kind: "PRE_DECISION", Synthetic: true})
					g.edge(s, cg.RelScrutinises, d)
					g.edge(s, cg.RelConductedBy, subCom)
				}
			}
			prev = c
			start = end.AddDate(0, 0, 1)
		}
	}

	insp := g.node(&cg.Inspection{ID: g.id("inspection", a), Inspectorate: "Ofsted", Kind: []string{"monitoring visit", "focused visit", "ILACS inspection"}[g.r.IntN(3)],
		Subject: str("Children at risk of exploitation"), Date: g.date(base.AddDate(0, g.r.IntN(36), g.r.IntN(28))),
		Findings: []string{g.pick(findings)}, Synthetic: true})
	g.edge(insp, cg.RelInspected, auth)
	for _, svc := range inspected {
		g.edge(insp, cg.RelInspected, svc)
	}
}
