package ocds

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Generate writes a synthetic OCDS 1.1 release package of n processes, for
// measuring imports: each process has a buyer (one of n/100+1 authorities),
// a voluntary-sector supplier (one of n/10+1), one contract with a period
// and a value for a social care service, and every second process follows
// the one before it (relatedProcesses, prior). Its data is marked as
// generated in the package's publisher.
func Generate(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, `{"version":"1.1","publisher":{"name":"cgraph benchmark generator (synthetic data)"},"publishedDate":"2024-01-01T00:00:00Z","releases":[`)
	enc := json.NewEncoder(bw)
	for i := range n {
		if i > 0 {
			bw.WriteString(",")
		}
		ocid := fmt.Sprintf("ocds-synth-%07d", i)
		buyer := fmt.Sprintf("GB-SYNTH-A%04d", i%(n/100+1))
		supplier := fmt.Sprintf("GB-CHC-%07d", i%(n/10+1))
		r := map[string]any{
			"ocid": ocid, "id": ocid + "-01", "date": "2024-01-01T00:00:00Z", "tag": []string{"contract"},
			"buyer": map[string]any{"id": buyer, "name": "Synthetic Council " + buyer[len(buyer)-4:]},
			"parties": []any{
				map[string]any{"id": buyer, "name": "Synthetic Council " + buyer[len(buyer)-4:], "roles": []string{"buyer"}},
				map[string]any{"id": supplier, "name": "Synthetic Charity " + supplier[len(supplier)-7:], "roles": []string{"supplier"},
					"identifier": map[string]any{"scheme": "GB-CHC", "id": supplier[7:]}},
			},
			"tender": map[string]any{"id": ocid + "-tender", "title": fmt.Sprintf("Family support service %d", i),
				"procurementMethod": "open", "items": []any{map[string]any{"id": "1",
					"classification": map[string]any{"scheme": "CPV", "id": "85300000"}}}},
			"awards": []any{map[string]any{"id": ocid + "-award", "suppliers": []any{map[string]any{"id": supplier}}}},
			"contracts": []any{map[string]any{"id": ocid + "-contract", "awardID": ocid + "-award", "status": "active",
				"period": map[string]any{"startDate": "2024-04-01T00:00:00Z", "endDate": "2025-03-31T00:00:00Z"},
				"value":  map[string]any{"amount": 10000 + i, "currency": "GBP"}}},
		}
		if i%2 == 1 {
			r["relatedProcesses"] = []any{map[string]any{"id": "1", "relationship": []string{"prior"},
				"scheme": "ocid", "identifier": fmt.Sprintf("ocds-synth-%07d", i-1)}}
		}
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}
