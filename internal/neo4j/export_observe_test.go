package neo4j

import "context"

// TxMetadataSeen runs a read that reports the metadata Neo4j holds for its
// own transaction.
func (db *DB) TxMetadataSeen(ctx context.Context) (map[string]any, error) {
	res, err := db.read(ctx, `SHOW TRANSACTIONS YIELD currentQuery, metaData
		WHERE currentQuery CONTAINS 'cgraph-metadata-probe' RETURN metaData`, nil)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, nil
	}
	m, _ := res.Records[0].Values[0].(map[string]any)
	return m, nil
}
