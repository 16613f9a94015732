// Package assets holds the files Safeguard embeds: checklist definitions,
// example entries, training scenarios and the icon (icon.png, 512x512).
package assets

import "embed"

// FS holds every embedded asset. Checklists are under checklists/ (with
// published.json, the frozen hashes of released versions), example entries
// under examples/.
//
//go:embed checklists examples icon.png
var FS embed.FS
