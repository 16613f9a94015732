// Package assets holds the files Safeguard embeds: checklist definitions,
// example entries, training scenarios and the icon.
package assets

import "embed"

// FS holds every embedded asset. Checklists are under checklists/ (with
// published.json, the frozen hashes of released versions), example entries
// under examples/.
//
//go:embed checklists examples
var FS embed.FS
