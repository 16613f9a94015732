// Package assets holds the files Safeguard embeds: checklist definitions,
// example entries, training scenarios and the icon (icon.png, 512x512).
package assets

import "embed"

// FS holds every embedded asset. Checklists are under checklists/ (with
// published.json, the frozen hashes of released versions), example entries
// under examples/, disclosure phrase lists for forms' recogniser (with
// their published.json) under recognise/, training scenarios (fictional
// cases with the facts an officer would find and what should be
// recognised) under scenarios/.
//
//go:embed checklists examples scenarios recognise icon.png
var FS embed.FS
