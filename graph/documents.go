package graph

import (
	"context"
	"encoding/base64"

	"github.com/commissioning-graph/cgraph/graph/model"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/ingest"
)

// ingestDocument reads the document of in and writes it, its passages and
// its claims, for the principal of ctx.
func ingestDocument(ctx context.Context, s Store, in model.DocumentInput, maxBytes int64) (*model.IngestResult, error) {
	by := cg.PrincipalFrom(ctx)
	if err := by.MayWrite(); err != nil {
		return nil, err
	}
	var data []byte
	switch {
	case in.Content != nil && in.ContentBase64 != nil:
		return nil, cg.Errorf(cg.EINVALID, "give content or contentBase64, not both")
	case in.Content != nil:
		data = []byte(*in.Content)
	case in.ContentBase64 != nil:
		var err error
		if data, err = base64.StdEncoding.DecodeString(*in.ContentBase64); err != nil {
			return nil, cg.Errorf(cg.EINVALID, "contentBase64 is not base64")
		}
	default:
		return nil, cg.Errorf(cg.EINVALID, "give the document as content or contentBase64")
	}
	req := ingest.Request{Name: in.Name, Data: data, Options: document.Options{MaxBytes: maxBytes}}
	if in.URL != nil {
		req.URL = *in.URL
	}
	if in.Authority != nil {
		req.Authority = *in.Authority
	}
	req.Accept = in.Accept != nil && *in.Accept
	res, err := ingest.Ingest(ctx, s, by, req)
	if err != nil {
		return nil, err
	}
	out := &model.IngestResult{Document: res.Document, Unchanged: res.Unchanged, Passages: res.Passages,
		Claims: res.Claims, Accepted: res.Accepted}
	if res.Replaces != "" {
		if e, err := s.FindEntity(ctx, res.Replaces); err == nil {
			out.Replaces, _ = e.(*cg.Document)
		}
	}
	return out, nil
}

// decideClaims accepts or rejects claims for the principal of ctx.
func decideClaims(ctx context.Context, s Store, ids []string, accept bool) (*cg.ImportResult, error) {
	if accept {
		return ingest.Accept(ctx, s, cg.PrincipalFrom(ctx), ids)
	}
	return ingest.Reject(ctx, s, cg.PrincipalFrom(ctx), ids)
}

// documentClaims lists a document's claims, of one status when given.
func documentClaims(ctx context.Context, s Store, document string, status *model.ClaimStatus) ([]*cg.Claim, error) {
	st := ""
	if status != nil {
		st = string(*status)
	}
	infos, err := s.DocumentClaims(ctx, document, st)
	if err != nil {
		return nil, err
	}
	out := make([]*cg.Claim, len(infos))
	for i, c := range infos {
		out[i] = c.Claim
	}
	return out, nil
}
