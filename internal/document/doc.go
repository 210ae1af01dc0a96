// Package document reads council documents (plain text, HTML pages saved
// from committee systems such as ModernGov, and PDFs with a text layer) into
// one plain text with passages: sentences and labelled fields, each with its
// byte offsets into that text, so a fact can cite the exact words it rests on.
//
// Offsets are byte offsets into Document.Text (Go string indexing):
// Text[p.Start:p.End] == p.Text for every passage. Text is valid UTF-8.
package document
