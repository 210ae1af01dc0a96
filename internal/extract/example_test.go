package extract_test

import (
	"encoding/json"
	"fmt"

	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/extract"
)

func ExampleExtract() {
	text := "https://democracy.example.gov.uk/ieDecisionDetails.aspx?ID=1\n" +
		"Decision Maker: Cabinet Member for Adult Social Care\n" +
		"Is Key decision?: Yes\n\n" +
		"The Cabinet Member approved the award of a contract to Acme Care Ltd for one year from 1 April 2026 to 31 March 2027, at a total value of £362k.\n"
	doc, err := document.Read("notice.txt", []byte(text), document.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res := extract.Extract(doc)
	b, _ := json.MarshalIndent(res.Facts.Contracts, "", " ")
	fmt.Println(string(b))
	for _, c := range res.Claims {
		if c.Field == "contracts[0].endDate" {
			fmt.Printf("%s = %v, from %q at %d-%d by %s\n", c.Field, c.Value, c.Quote, c.Start, c.End, c.Rule)
		}
	}
	// Output:
	// [
	//  {
	//   "provider": "Acme Care Ltd",
	//   "startDate": "2026-04-01",
	//   "endDate": "2027-03-31",
	//   "durationMonths": 12,
	//   "value": 362000,
	//   "currency": "GBP"
	//  }
	// ]
	// contracts[0].endDate = 2027-03-31, from "31 March 2027" at 179-192 by date-range-end
}
