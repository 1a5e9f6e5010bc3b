package graph

import (
	"encoding/json"
	"io"
)

// SchemaVersion versions the JSON form of the graph (docs/graph-schema.md),
// which custom policies read.
const SchemaVersion = "1.0"

type jsonEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Attr string `json:"attribute"`
	// FromID and ToID index resources[]; addresses alone may repeat across
	// inputs.
	FromID int `json:"from_id"`
	ToID   int `json:"to_id"`
}

type jsonGraph struct {
	SchemaVersion string      `json:"schema_version"`
	Resources     []*Resource `json:"resources"`
	Edges         []jsonEdge  `json:"edges"`
}

// WriteJSON writes the graph in its documented JSON form.
func (g *Graph) WriteJSON(w io.Writer) error {
	jg := jsonGraph{SchemaVersion: SchemaVersion, Resources: g.resources, Edges: []jsonEdge{}}
	if jg.Resources == nil {
		jg.Resources = []*Resource{}
	}
	for _, e := range g.SortedEdges() {
		jg.Edges = append(jg.Edges, jsonEdge{From: e.From.Address, To: e.To.Address, Attr: e.Attr, FromID: e.From.ID, ToID: e.To.ID})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(jg)
}
